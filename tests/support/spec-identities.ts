// An independent count of the distinct findings a report holds, written from each format's
// documentation and PRODUCT.md's identity rules — not from the parsers — for the corpus test.
/* eslint-disable @typescript-eslint/no-explicit-any */

const count = (keys: Iterable<string>) => new Set(keys).size;
const key = (...parts: unknown[]) => JSON.stringify(parts);

/** Trivy results (SchemaVersion 2, or the pre-0.20 array): vulnerabilities, failed checks, secrets. */
function trivyResultKeys(results: any[], image = ""): string[] {
  return (results ?? []).flatMap((r: any) => [
    ...(r.Vulnerabilities ?? []).map((v: any) => key(image, v.VulnerabilityID, v.PkgName, v.InstalledVersion ?? "", v.PkgPath || (r.Class === "lang-pkgs" ? r.Target : ""))),
    ...(r.Misconfigurations ?? []).filter((m: any) => (m.Status ?? "FAIL") === "FAIL").map((m: any) => key(image, "misconfig", r.Target, m.AVDID ?? m.ID)),
    ...(r.Secrets ?? []).map((s: any) => key(image, "secret", r.Target, s.RuleID, s.StartLine ?? null)),
  ]);
}

function trivyK8sKeys(doc: any): string[] {
  const resources = [...(doc.Resources ?? []), ...(doc.Vulnerabilities ?? []), ...(doc.Misconfigurations ?? [])];
  return resources.flatMap((res: any) => {
    const object = `${res.Namespace ?? ""}/${res.Kind}/${res.Name}`;
    const meta = Array.isArray(res.Metadata) ? res.Metadata[0] : res.Metadata;
    const image = meta?.RepoDigests?.[0]?.split("@")[1] ?? meta?.ImageID ?? object;
    return (res.Results ?? []).flatMap((r: any) => [
      ...(r.Misconfigurations ?? []).filter((m: any) => (m.Status ?? "FAIL") === "FAIL").map((m: any) => key("misconfig", object, m.AVDID ?? m.ID)),
      ...trivyResultKeys([{ ...r, Misconfigurations: [] }], image),
    ]);
  });
}

/** Grype: (vulnerability, package, version, path); a match is one entry of `matches`. */
function grypeKeys(doc: any): string[] {
  return doc.matches.map((m: any) => key(m.vulnerability.id, m.artifact.name, m.artifact.version, m.artifact.locations?.[0]?.path ?? ""));
}

/** SARIF 2.1.0: (tool, rule, uri, start line) per result, `level: none` excluded. */
function sarifKeys(doc: any): string[] {
  return doc.runs.flatMap((run: any) =>
    (run.results ?? [])
      .filter((r: any) => r.level !== "none")
      .map((r: any) => {
        const loc = r.locations?.[0]?.physicalLocation;
        const rule = r.ruleId ?? r.rule?.id ?? run.tool.driver.rules?.[r.ruleIndex ?? -1]?.id;
        return key(run.tool.driver.name, rule, loc?.artifactLocation?.uri ?? null, loc?.region?.startLine ?? null);
      }),
  );
}

/** CycloneDX: one finding per (vulnerability, affected component). */
function cyclonedxKeys(doc: any): string[] {
  return (doc.vulnerabilities ?? []).flatMap((v: any) => (v.affects ?? []).map((a: any) => key(v.id, a.ref)));
}

/** kube-bench: FAIL and WARN results, per (node type, check). */
function kubeBenchKeys(doc: any): string[] {
  const controls = Array.isArray(doc) ? doc : (doc.Controls ?? []);
  return controls.flatMap((c: any) =>
    (c.tests ?? []).flatMap((t: any) => (t.results ?? []).filter((r: any) => ["FAIL", "WARN"].includes(String(r.status).toUpperCase())).map((r: any) => key(c.node_type, r.test_number))),
  );
}

/** Trivy Operator: image vulnerabilities and secrets, failed checks per object, failed compliance controls. */
function operatorKeys(doc: any): string[] {
  const objects = doc.operatorObject ? [doc.operatorObject] : doc.items ? doc.items : [doc];
  return objects.flatMap((o: any) => {
    const image = `${o.report?.registry?.server}/${o.report?.artifact?.repository}:${o.report?.artifact?.tag}`;
    return [
      ...(o.report?.vulnerabilities ?? []).map((v: any) => key(image, v.vulnerabilityID, v.resource, v.installedVersion, v.pkgPath ?? "")),
      ...(o.report?.secrets ?? []).map((s: any) => key(image, s.ruleID, s.target)),
      ...(o.report?.checks ?? []).filter((c: any) => c.success === false).map((c: any) => key(o.kind, o.metadata?.namespace, o.metadata?.name, c.checkID)),
      ...(o.status?.summaryReport?.controlCheck ?? []).filter((c: any) => c.totalFail > 0).map((c: any) => key(c.id)),
    ];
  });
}

export function specIdentityCount(doc: any): number {
  if (doc?.bomFormat === "CycloneDX") return count(cyclonedxKeys(doc));
  if (doc?.version === "2.1.0" && Array.isArray(doc.runs)) return count(sarifKeys(doc));
  if (Array.isArray(doc?.matches)) return count(grypeKeys(doc));
  if (String(doc?.apiVersion ?? doc?.operatorObject?.apiVersion ?? doc?.items?.[0]?.apiVersion).startsWith("aquasecurity.github.io/")) return count(operatorKeys(doc));
  if (doc?.Controls || (Array.isArray(doc) && doc[0]?.node_type)) return count(kubeBenchKeys(doc));
  if (doc?.ClusterName !== undefined) return count(trivyK8sKeys(doc));
  if (Array.isArray(doc)) return count(trivyResultKeys(doc));
  return count(trivyResultKeys(doc.Results));
}
