import { describe, expect, it } from "vitest";
import { parseImageRef } from "@/lib/ingest/image-ref";

const digest = `sha256:${"a".repeat(64)}`;

describe("parseImageRef", () => {
  it.each([
    ["nginx", { repository: "nginx", tag: null, digest: null }],
    ["nginx:1.27", { repository: "nginx", tag: "1.27", digest: null }],
    ["registry:5000/team/app:2.0", { repository: "registry:5000/team/app", tag: "2.0", digest: null }],
    ["registry:5000/team/app", { repository: "registry:5000/team/app", tag: null, digest: null }],
    [`ghcr.io/acme/api@${digest}`, { repository: "ghcr.io/acme/api", tag: null, digest }],
    [`ghcr.io/acme/api:1.0@${digest}`, { repository: "ghcr.io/acme/api", tag: "1.0", digest }],
  ])("parses %s", (input, expected) => {
    expect(parseImageRef(input)).toEqual(expected);
  });

  it.each(["", " ", "a b", "app@sha256:short", digest, "app:"])("rejects %j", (input) => {
    expect(parseImageRef(input)).toBeNull();
  });
});
