// Which stored image a pipeline means: "repo:tag", "repo@sha256:…", or a bare "sha256:…" (the
// manifest digest, or the config id Trivy prints as ImageID). A tag names its most recent scan.
import { db } from "@/lib/db";
import { isDigest, parseImageRef } from "@/lib/ingest/image-ref";
import { InvalidInput } from "@/lib/admin/input";

export async function findImageByRef(ref: string) {
  const select = { id: true, digest: true, configId: true, tags: true, teamId: true, lastScannedAt: true, osFamily: true, osName: true, osEndOfLife: true, repository: { select: { name: true } } } as const;
  const value = ref.trim();
  if (/^sha256:/i.test(value) && !isDigest(value)) throw new InvalidInput("a digest is sha256: followed by 64 lowercase hex characters");
  if (isDigest(value)) {
    return db.image.findFirst({ where: { OR: [{ digest: value }, { configId: value }] }, orderBy: { lastScannedAt: { sort: "desc", nulls: "last" } }, select });
  }
  const parsed = parseImageRef(value);
  if (!parsed) throw new InvalidInput('image must be a reference ("registry/repo:tag", "registry/repo@sha256:…") or a digest ("sha256:…")');
  return db.image.findFirst({
    where: { repository: { name: parsed.repository }, ...(parsed.digest ? { digest: parsed.digest } : { tags: { has: parsed.tag ?? "latest" } }) },
    orderBy: { lastScannedAt: { sort: "desc", nulls: "last" } },
    select,
  });
}
export type FoundImage = NonNullable<Awaited<ReturnType<typeof findImageByRef>>>;
