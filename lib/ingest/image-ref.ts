// Parsing of image references ("registry/path:tag@sha256:…") into repository, tag and digest.

export interface ImageRef {
  repository: string;
  tag: string | null;
  digest: string | null;
}

const DIGEST = /^sha256:[a-f0-9]{64}$/;

/** Parses a reference; returns null when it is not a plausible image reference. */
export function parseImageRef(input: string): ImageRef | null {
  const ref = input.trim();
  if (ref === "" || ref.length > 512 || /[\s\u0000-\u001f\u007f]/.test(ref)) return null;
  if (DIGEST.test(ref)) return null; // a bare digest names no repository
  let rest = ref;
  let digest: string | null = null;
  const at = rest.indexOf("@");
  if (at >= 0) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
    if (!DIGEST.test(digest)) return null;
  }
  let tag: string | null = null;
  const lastColon = rest.lastIndexOf(":");
  if (lastColon > rest.lastIndexOf("/")) {
    tag = rest.slice(lastColon + 1);
    rest = rest.slice(0, lastColon);
    if (tag === "") return null;
  }
  if (rest === "") return null;
  return { repository: rest, tag, digest };
}

export function isDigest(value: string): boolean {
  return DIGEST.test(value);
}
