// Synthetic Trivy image reports shaped like the real fixtures: the vulnerabilities of the
// fixtures are used as templates, with distinct ids, packages and versions.
import { readFileSync, readdirSync } from "node:fs";
import path from "node:path";

type Vulnerability = Record<string, unknown> & { VulnerabilityID: string; PkgName: string; InstalledVersion: string };
type Report = { Results: { Target: string; Class: string; Type: string; Vulnerabilities: Vulnerability[] }[] } & Record<string, unknown>;

function templates(fixturesDir: string): Vulnerability[] {
  const dir = path.join(fixturesDir, "trivy");
  return readdirSync(dir)
    .filter((f) => /^trivy_.*\.json$/.test(f) && !f.includes("sarif") && !f.includes("cyclonedx"))
    .flatMap((f) => {
      const report = JSON.parse(readFileSync(path.join(dir, f), "utf8"));
      return (report.Results ?? []).flatMap((r: { Vulnerabilities?: Vulnerability[] }) => r.Vulnerabilities ?? []);
    });
}

export interface GeneratedReport {
  report: Report;
  body: string;
}

/** A report of `count` distinct findings about `image`; `variant` changes ids of every 10th finding. */
export function generateTrivyReport(fixturesDir: string, image: string, count: number, variant = 0): GeneratedReport {
  const base = JSON.parse(readFileSync(path.join(fixturesDir, "trivy", "trivy_fluentd-gems.json"), "utf8"));
  const pool = templates(fixturesDir);
  const os: Vulnerability[] = [];
  const lang: Vulnerability[] = [];
  for (let i = 0; i < count; i++) {
    const template = pool[i % pool.length];
    const changed = variant > 0 && i % 10 === 0;
    const id = `CVE-${2000 + (i % 25)}-${String(100000 + i + (changed ? variant * 10_000_000 : 0))}`;
    const vulnerability: Vulnerability = {
      ...template,
      VulnerabilityID: id,
      PkgName: `${template.PkgName}-${Math.floor(i / 7)}`,
      InstalledVersion: `${1 + (i % 9)}.${i % 13}.${i % 17}`,
      PkgID: undefined as unknown as string,
    };
    (i % 3 === 0 ? lang : os).push(vulnerability);
  }
  const [repository, tag] = image.split(":");
  const report: Report = {
    ...base,
    ArtifactName: image,
    CreatedAt: new Date().toISOString(),
    Metadata: { ...base.Metadata, ImageID: undefined, RepoTags: [`${repository}:${tag}`], RepoDigests: [] },
    Results: [
      { Target: `${image} (debian 10.2)`, Class: "os-pkgs", Type: "debian", Vulnerabilities: os },
      { Target: "Ruby", Class: "lang-pkgs", Type: "gemspec", Vulnerabilities: lang },
    ],
  };
  return { report, body: JSON.stringify(report) };
}
