// POST /api/v1/scans through its real route handler and a real database: auth, errors, limits.
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { POST } from "@/app/api/v1/scans/route";
import { GET as health } from "@/app/api/health/route";
import { db } from "@/lib/db";
import { byteBudget } from "@/lib/api/inflight";
import { env } from "@/lib/env";
import { createApiToken } from "@/lib/tokens/api-tokens";
import { databaseFingerprint, resetDatabase } from "../support/db-state";
import { fixtureText } from "../support/fixtures";

let ingestToken: string;
let readToken: string;

beforeEach(async () => {
  await resetDatabase();
  ingestToken = (await createApiToken({ name: "ci", scopes: ["ingest"] })).token;
  readToken = (await createApiToken({ name: "reader", scopes: ["read"] })).token;
});

afterEach(() => {
  delete process.env.INGEST_BODY_LIMIT_MB;
});

function post(body: BodyInit | null, { query = "", token = ingestToken, headers = {} as Record<string, string> } = {}) {
  return POST(
    new Request(`http://localhost/api/v1/scans${query}`, {
      method: "POST",
      body,
      headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), "content-type": "application/json", ...headers },
    }),
  );
}

async function expectError(response: Response, status: number, code: string, message: RegExp) {
  expect(response.status).toBe(status);
  const body = await response.json();
  expect(body.error.code).toBe(code);
  expect(body.error.message).toMatch(message);
}

describe("POST /api/v1/scans", () => {
  it("ingests a Trivy report: 201, then 200 with duplicate: true", async () => {
    const body = fixtureText("trivy/trivy_debian-buster.json");
    const first = await post(body, { query: "?cluster=prod&namespace=web&workload=deployment/api" });
    expect(first.status).toBe(201);
    const created = await first.json();
    expect(created).toEqual({
      scanId: expect.any(String),
      format: "trivy",
      target: "ghcr.io/aquasecurity/trivy-test-images:debian-buster",
      findings: { total: 2, new: 2, reopened: 0, fixed: 0, unchanged: 0 },
      skipped: [],
    });
    const again = await post(body, { query: "?cluster=prod&namespace=web&workload=deployment/api" });
    expect(again.status).toBe(200);
    expect(await again.json()).toEqual({ ...created, duplicate: true });
    expect(await db.scan.count()).toBe(1);
    expect((await db.scan.findFirstOrThrow()).tokenId).not.toBeNull();
  });

  it("accepts curl's default form content type, since the body is what counts", async () => {
    const response = await post(fixtureText("trivy/trivy_alpine-distroless.json"), { headers: { "content-type": "application/x-www-form-urlencoded" } });
    expect(response.status).toBe(201);
  });

  describe("rejects bad requests with a clear error and changes nothing", () => {
    let before: Record<string, string>;
    beforeEach(async () => {
      await post(fixtureText("trivy/trivy_alpine-310.json"));
      before = await databaseFingerprint();
    });
    afterEach(async () => {
      expect(await databaseFingerprint()).toEqual(before);
    });

    it("401 without a token", async () => {
      await expectError(await post("{}", { token: "" }), 401, "unauthorized", /Missing API token/);
    });
    it("401 with an unknown token", async () => {
      await expectError(await post("{}", { token: "pcl_not-a-real-token" }), 401, "unauthorized", /Invalid/);
    });
    it("401 with a revoked token", async () => {
      await db.apiToken.updateMany({ where: { name: "ci" }, data: { revokedAt: new Date() } });
      before = await databaseFingerprint();
      await expectError(await post(fixtureText("trivy/trivy_centos-7.json")), 401, "unauthorized", /revoked/);
    });
    it("401 with an expired token", async () => {
      const expired = await createApiToken({ name: "old", scopes: ["ingest"], expiresAt: new Date(Date.now() - 1000) });
      before = await databaseFingerprint();
      await expectError(await post(fixtureText("trivy/trivy_centos-7.json"), { token: expired.token }), 401, "unauthorized", /expired/);
    });
    it("403 with a read-only token", async () => {
      await expectError(await post(fixtureText("trivy/trivy_centos-7.json"), { token: readToken }), 403, "forbidden", /"ingest" scope/);
    });
    it("400 for malformed JSON, saying where", async () => {
      await expectError(await post('{"SchemaVersion": 2, "ArtifactName": '), 400, "malformed_report", /not valid JSON/);
    });
    it("400 for a truncated report", async () => {
      const text = fixtureText("trivy/trivy_ubuntu-1804.json");
      await expectError(await post(text.slice(0, text.length / 2)), 400, "malformed_report", /not valid JSON/);
    });
    it("400 for a wrongly typed field in the report's frame, naming its path", async () => {
      const report = JSON.parse(fixtureText("trivy/trivy_ubuntu-1804.json"));
      report.Metadata.RepoTags = "ubuntu:18.04";
      await expectError(await post(JSON.stringify(report)), 400, "malformed_report", /\$\.Metadata\.RepoTags/);
    });
    it("400 for absurdly nested JSON", async () => {
      await expectError(await post(`${"[".repeat(5000)}${"]".repeat(5000)}`), 400, "malformed_report", /nested deeper than 100 levels/);
    });
    it("400 for a format's invalid field and a kube-bench report without cluster=", async () => {
      await expectError(await post(fixtureText("kube-bench/kube-bench_result_with-totals.json")), 400, "invalid_context", /pass cluster=/);
      await expectError(await post(JSON.stringify({ bomFormat: "CycloneDX", specVersion: "1.2" })), 400, "malformed_report", /specVersion/);
    });
    it("400 for an unknown JSON shape", async () => {
      await expectError(await post('{"hello": "world"}'), 400, "unknown_format", /Unrecognised report/);
    });
    it("400 when format= does not match the body", async () => {
      await expectError(await post(fixtureText("trivy/trivy_centos-7.json"), { query: "?format=grype" }), 400, "format_mismatch", /format=grype was requested but the body is a trivy report/);
    });
    it("400 for an unknown query parameter", async () => {
      await expectError(await post(fixtureText("trivy/trivy_centos-7.json"), { query: "?clutser=prod" }), 400, "bad_request", /clutser/);
    });
    it("400 for a team that does not exist", async () => {
      await expectError(await post(fixtureText("trivy/trivy_centos-7.json"), { query: "?team=Nobody" }), 400, "invalid_context", /names no team/);
    });
    it("400 for a body that is not UTF-8", async () => {
      await expectError(await post(new Uint8Array([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x7d])), 400, "bad_request", /not valid UTF-8/);
    });
    it("415 for XML", async () => {
      await expectError(await post("<report/>", { headers: { "content-type": "application/xml" } }), 415, "unsupported_media_type", /not JSON/);
    });
    it("415 for a body that is not JSON", async () => {
      await expectError(await post("SchemaVersion: 2"), 415, "unsupported_media_type", /not JSON/);
    });
    it("503 with Retry-After when the bytes in flight stay over the budget for longer than the queue allows", async () => {
      process.env.INGEST_QUEUE_SECONDS = "0";
      const held = await byteBudget("scans", env().ingestInflightBytes).acquire(env().ingestInflightBytes, 1000);
      try {
        const response = await post(fixtureText("trivy/trivy_centos-7.json"));
        expect(response.headers.get("retry-after")).toBe("10");
        await expectError(response, 503, "busy", /nothing was stored/);
      } finally {
        held();
        delete process.env.INGEST_QUEUE_SECONDS;
      }
    });
    it("499 for an upload the client gave up on, without an error in the log", async () => {
      const errors = vi.spyOn(console, "error");
      const aborted = new ReadableStream({
        start(controller) {
          controller.enqueue(new TextEncoder().encode('{"SchemaVersion": 2, "Results": ['));
          controller.error(Object.assign(new Error("aborted"), { code: "ECONNRESET" }));
        },
      });
      const response = await POST(new Request("http://localhost/api/v1/scans", { method: "POST", body: aborted, duplex: "half", headers: { authorization: `Bearer ${ingestToken}` } } as RequestInit));
      expect(response.status).toBe(499);
      expect(errors).not.toHaveBeenCalled();
      errors.mockRestore();
    });
    it("400 for a null body without image= (the pre-0.20 Trivy answer for nothing found)", async () => {
      await expectError(await post("null"), 400, "invalid_context", /pass image=/);
    });
    it("413 for a body over the limit, before reading it all", async () => {
      process.env.INGEST_BODY_LIMIT_MB = "0.001"; // about 1 KiB; the report is 23 KiB
      await expectError(await post(fixtureText("trivy/trivy_ubuntu-1804.json")), 413, "payload_too_large", /larger than the limit/);
    });
  });

  describe("answers what it could not take, and what it could", () => {
    it("201 for a wrongly typed entry, listed in skipped with its path; the rest lands", async () => {
      const report = JSON.parse(fixtureText("trivy/trivy_ubuntu-1804.json"));
      report.Results[0].Vulnerabilities[1].Severity = { level: "HIGH" };
      const response = await post(JSON.stringify(report));
      expect(response.status).toBe(201);
      expect(await response.json()).toMatchObject({ findings: { total: 4 }, skipped: [{ path: "$.Results[0].Vulnerabilities[1]", reason: expect.stringMatching(/^Severity: /) }], warnings: [expect.stringMatching(/closed no findings/)] });
    });
    it("400 when format= does not match a body that was ingested before (not 200 duplicate)", async () => {
      expect((await post(fixtureText("trivy/trivy_centos-7.json"))).status).toBe(201);
      await expectError(await post(fixtureText("trivy/trivy_centos-7.json"), { query: "?format=grype" }), 400, "format_mismatch", /format=grype was requested but the body is a trivy report/);
      await expectError(await post(fixtureText("trivy/trivy_centos-7.json"), { query: "?format=cyclonedx" }), 400, "format_mismatch", /format=cyclonedx was requested/);
      expect((await post(fixtureText("trivy/trivy_centos-7.json"), { query: "?format=trivy" })).status).toBe(200);
    });
    it("201 for a null body with image=: an empty report that closes what the image had", async () => {
      const vulnerability = (id: string) => ({ VulnerabilityID: id, PkgName: "openssl", InstalledVersion: "1.0.1t-1", Severity: "HIGH" });
      const legacy = [{ Target: "registry.example/legacy:7 (debian 8.11)", Type: "debian", Vulnerabilities: ["CVE-2016-2105", "CVE-2016-2106", "CVE-2016-2107"].map(vulnerability) }];
      expect((await post(JSON.stringify(legacy), { query: "?image=registry.example/legacy:7" })).status).toBe(201);
      const empty = await post("null", { query: "?image=registry.example/legacy:7" });
      expect(empty.status).toBe(201);
      expect(await empty.json()).toMatchObject({ format: "trivy", target: "registry.example/legacy:7", findings: { total: 0, fixed: 3 }, skipped: [] });
    });
  });
});

describe("GET /api/health", () => {
  it("answers 200 with the database reachable", async () => {
    const response = await health(new Request("http://localhost/api/health"));
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: "ok", db: "ok" });
  });
});
