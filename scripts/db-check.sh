#!/usr/bin/env bash
# CI: fails when prisma/schema.prisma differs from the schema the migrations were written for.
set -euo pipefail
if ! node scripts/prisma.mjs migrate diff --from-schema-datamodel prisma/migrations/schema.snapshot.prisma \
     --to-schema-datamodel prisma/schema.prisma --exit-code > /tmp/portcullis-schema-diff.txt 2>&1; then
  cat /tmp/portcullis-schema-diff.txt
  echo "prisma/schema.prisma has changes without a migration: run npm run db:diff -- <name>" >&2
  exit 1
fi
echo "schema and migrations agree"
