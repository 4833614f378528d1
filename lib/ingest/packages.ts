// An image's package inventory, replaced by each report that lists packages (SBOMs, --list-all-pkgs).
import type { DbTx } from "@/lib/db";
import type { PackageRecord } from "@/lib/findings/model";

export async function replacePackages(tx: DbTx, imageId: string, packages: PackageRecord[]): Promise<void> {
  if (packages.length === 0) return;
  const unique = new Map(packages.map((p) => [`${p.name}\u001f${p.version}\u001f${p.path}`, p]));
  await tx.imagePackage.deleteMany({ where: { imageId } });
  const rows = JSON.stringify([...unique.values()]);
  await tx.$executeRaw`
    INSERT INTO "ImagePackage" (id, "imageId", name, version, type, path, purl)
    SELECT gen_random_uuid()::text, ${imageId}, p.name, p.version, p.type, p.path, p.purl
    FROM jsonb_to_recordset(${rows}::jsonb) AS p(name text, version text, type text, path text, purl text)`;
}
