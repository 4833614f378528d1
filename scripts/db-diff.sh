#!/usr/bin/env bash
# Writes a new migration from the last migrated schema (prisma/migrations/schema.snapshot.prisma)
# to prisma/schema.prisma, then updates the snapshot. Needs no database.
#   npm run db:diff -- <name>
set -euo pipefail
name="${1:?usage: npm run db:diff -- <migration_name>}"
snapshot=prisma/migrations/schema.snapshot.prisma
dir="prisma/migrations/$(date -u +%Y%m%d%H%M%S)_${name}"
sql=$(node scripts/prisma.mjs migrate diff --from-schema-datamodel "$snapshot" --to-schema-datamodel prisma/schema.prisma --script)
if ! grep -qvE '^(--.*)?$' <<<"$sql"; then echo "schema.prisma has no changes since the last migration"; exit 0; fi
mkdir -p "$dir"
printf '%s\n' "$sql" > "$dir/migration.sql"
cp prisma/schema.prisma "$snapshot"
echo "wrote $dir/migration.sql (note: comments in migrations must not contain semicolons)"
