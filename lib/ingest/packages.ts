// An image's package inventory, replaced by each report that lists packages (SBOMs, --list-all-pkgs).
import { copyRows, type Sql } from "@/lib/sql";
import type { PackageRecord } from "@/lib/findings/model";

export async function replacePackages(sql: Sql, imageId: string, packages: PackageRecord[]): Promise<void> {
  if (packages.length === 0) return;
  const unique = new Map(packages.map((p) => [`${p.name}\u001f${p.version}\u001f${p.path}`, p]));
  await sql.query(`DELETE FROM "ImagePackage" WHERE "imageId" = $1`, [imageId]);
  await copyRows(
    sql,
    `"ImagePackage"`,
    ["id", "imageId", "name", "version", "type", "path", "purl"],
    [...unique.values()].map((p) => [crypto.randomUUID(), imageId, p.name, p.version, p.type, p.path, p.purl]),
  );
}
