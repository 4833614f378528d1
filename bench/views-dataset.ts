// The scale estate of `npm run bench:views`, built in PostgreSQL by set-based INSERT … SELECT over
// generate_series (no row-at-a-time inserts): 20 teams, 50 clusters, 500 namespaces, 5,000 images
// (500 repositories × 10 builds, the newest two running), 1,000,000 image findings over 20,000
// vulnerability ids and 2,000 packages, cluster misconfigurations and CIS results, runtime alerts
// of the last week, and 365 days of weekly scans per image. Triggers are off while it loads; the
// read model, the finding episodes and the daily rollups are rebuilt at the end, as the routines files do.
import type pg from "pg";

export const SCALE = { teams: 20, clusters: 50, namespacesPerCluster: 10, repositories: 500, buildsPerRepository: 10, findings: 1_000_000, vulnerabilities: 20_000, packages: 2_000 };

const STEPS: [string, string][] = [
  ["teams", `INSERT INTO "Team" (id, name) SELECT 'team-' || t, 'Team ' || lpad(t::text, 2, '0') FROM generate_series(1, ${SCALE.teams}) t`],
  ["clusters", `INSERT INTO "Cluster" (id, name, "teamId") SELECT 'cluster-' || c, 'cluster-' || lpad(c::text, 2, '0'), 'team-' || (1 + c % ${SCALE.teams}) FROM generate_series(1, ${SCALE.clusters}) c`],
  ["namespaces", `INSERT INTO "Namespace" (id, "clusterId", name, "teamId")
     SELECT 'ns-' || c || '-' || n, 'cluster-' || c, 'ns-' || n, 'team-' || (1 + (c * 10 + n) % ${SCALE.teams})
     FROM generate_series(1, ${SCALE.clusters}) c, generate_series(1, ${SCALE.namespacesPerCluster}) n`],
  ["repositories", `INSERT INTO "ImageRepository" (id, name, "teamId") SELECT 'repo-' || r, 'registry.bench.dev/team-' || (1 + r % ${SCALE.teams}) || '/app-' || r, 'team-' || (1 + r % ${SCALE.teams}) FROM generate_series(1, ${SCALE.repositories}) r`],
  ["images", `INSERT INTO "Image" (id, "identityKey", "repositoryId", digest, tags, "osFamily", "osName", "osEndOfLife", "teamId", "firstSeenAt", "lastScannedAt", "builtAt")
     SELECT 'img-' || r || '-' || b, 'repo-' || r || '@sha256:' || md5(r || '-' || b), 'repo-' || r, 'sha256:' || md5(r || '-' || b) || md5(b || '-' || r),
       ARRAY['1.' || b || '.0'], 'debian', CASE WHEN r % 7 = 0 THEN '9.13' ELSE '12.5' END, r % 7 = 0, 'team-' || (1 + r % ${SCALE.teams}),
       now() - ((11 - b) * 33) * interval '1 day', now() - (CASE WHEN b >= 9 THEN r % 10 ELSE (11 - b) * 30 END) * interval '1 day',
       now() - ((11 - b) * 35) * interval '1 day'
     FROM generate_series(1, ${SCALE.repositories}) r, generate_series(1, ${SCALE.buildsPerRepository}) b`],
  ["workloads", `INSERT INTO "Workload" (id, "namespaceId", kind, name)
     SELECT 'wl-' || r || '-' || k, 'ns-' || (1 + (r * 3 + k) % ${SCALE.clusters}) || '-' || (1 + (r + k) % ${SCALE.namespacesPerCluster}), 'Deployment', 'app-' || r || '-' || k
     FROM generate_series(1, ${SCALE.repositories}) r, generate_series(1, 2) k`],
  // The newest build runs in both workloads of its repository, the one before in the first.
  ["running images", `INSERT INTO "WorkloadImage" ("workloadId", "imageId")
     SELECT 'wl-' || r || '-' || k, 'img-' || r || '-' || b FROM generate_series(1, ${SCALE.repositories}) r, generate_series(1, 2) k, generate_series(9, 10) b
     WHERE b = 10 OR k = 1`],
  ["vulnerability catalogue", `INSERT INTO "Vulnerability" (key, id, severity, title, "updatedAt")
     SELECT 'CVE-2020-' || v, 'CVE-2020-' || v, (ARRAY['critical','high','high','medium','medium','medium','low','low','low','unknown'])[1 + v % 10]::"Severity",
       'Synthetic vulnerability ' || v || ' in package pkg-' || (v % ${SCALE.packages}), now()
     FROM generate_series(1, ${SCALE.vulnerabilities}) v`],
  // 200 findings per image: vulnerability v of package v mod 2000, status mostly open, a quarter fixed.
  ["1,000,000 findings", `INSERT INTO "Finding" (id, "identityKey", kind, "targetKey", "reportedBy", "imageId", "teamId", "vulnerabilityId", "vulnerabilityKey",
       "ruleId", title, severity, "packageName", "installedVersion", "fixedVersion", fixable, status, "statusChangedAt", "firstSeenAt", "lastSeenAt", "fixedAt", "dueAt")
     SELECT 'f-' || i.n || '-' || s, md5(i.id || '/' || s), 'vulnerability', 'image:' || i.id, ARRAY['trivy'], i.id, i."teamId", v.id, v.id,
       v.id, v.title, v.severity, 'pkg-' || (v.num % ${SCALE.packages}), '1.' || (s % 9) || '.0',
       CASE WHEN v.num % 5 < 3 THEN '1.' || (s % 9) || '.9' END, v.num % 5 < 3,
       (CASE WHEN h < 70 THEN 'open' WHEN h < 73 THEN 'in_progress' WHEN h < 98 THEN 'fixed' WHEN h < 99 THEN 'false_positive' ELSE 'risk_accepted' END)::"FindingStatus",
       now(), now() - (h * 3 + s % 60) * interval '1 day' / 1.1, now() - (s % 7) * interval '1 day',
       CASE WHEN h >= 73 AND h < 98 THEN now() - (h - 73) * interval '1 day' END,
       now() - (h * 3 + s % 60) * interval '1 day' / 1.1 + interval '30 days'
     FROM (SELECT id, "teamId", row_number() OVER (ORDER BY id) AS n FROM "Image") i,
       generate_series(1, ${SCALE.findings / (SCALE.repositories * SCALE.buildsPerRepository)}) s,
       LATERAL (SELECT (i.n * 7919 + s * 104729) % ${SCALE.vulnerabilities} + 1 AS num) pick,
       LATERAL (SELECT vv.id, vv.title, vv.severity, pick.num FROM "Vulnerability" vv WHERE vv.key = 'CVE-2020-' || pick.num) v,
       LATERAL (SELECT abs(hashtext(i.id || s)) % 100 AS h) hh`],
  ["misconfigurations", `INSERT INTO "Finding" (id, "identityKey", kind, "targetKey", "reportedBy", "clusterId", "namespaceId", "workloadId", "teamId", "ruleId", title, severity,
       status, "firstSeenAt", "lastSeenAt", location)
     SELECT 'm-' || w.id || '-' || k, md5(w.id || '/KSV-' || k), 'misconfiguration', 'cluster:' || n."clusterId", ARRAY['trivy'], n."clusterId", n.id, w.id, n."teamId",
       'KSV-00' || lpad(k::text, 2, '0'), 'Synthetic check ' || k, (ARRAY['high','medium','low'])[1 + k % 3]::"Severity", 'open', now() - interval '20 days', now(), w.name
     FROM "Workload" w JOIN "Namespace" n ON n.id = w."namespaceId", generate_series(1, 12) k`],
  ["CIS results", `INSERT INTO "Finding" (id, "identityKey", kind, "targetKey", "reportedBy", "clusterId", "teamId", "ruleId", title, severity, status, "scannerStatus",
       "firstSeenAt", "lastSeenAt", location)
     SELECT 'cis-' || c.id || '-' || k, md5(c.id || '/CIS-' || k), 'compliance', 'cluster:' || c.id || '/kube-bench:node', ARRAY['kube-bench'], c.id, c."teamId",
       'CIS 4.' || k, 'Synthetic CIS check ' || k, CASE WHEN k % 3 = 0 THEN 'high' ELSE 'medium' END::"Severity", 'open', CASE WHEN k % 3 = 0 THEN 'FAIL' ELSE 'WARN' END,
       now() - interval '40 days', now(), 'node · 4.' || (k % 5) || ' Worker node configuration'
     FROM "Cluster" c, generate_series(1, 50) k`],
  ["runtime alerts", `INSERT INTO "RuntimeEvent" ("eventKey", "clusterId", namespace, workload, rule, priority, severity, time, "occurredAt", output, fields)
     SELECT md5('ev' || e), 'cluster-' || (1 + e % ${SCALE.clusters}), 'ns-' || (1 + e % 10), 'app-' || (e % 500), 'Synthetic rule ' || (e % 12), 'Warning', 'medium',
       to_char(now() - e * interval '12 seconds', 'YYYY-MM-DD"T"HH24:MI:SS.US"000Z"'), now() - e * interval '12 seconds', 'alert ' || e,
       jsonb_build_object('k8s.pod.name', 'app-' || (e % 500) || '-pod', 'container.name', 'app', 'container.image.repository', 'registry.bench.dev/app-' || (e % 500))
     FROM generate_series(1, 50000) e`],
  // Weekly scans of each image over its life, up to 365 days back.
  ["365 days of scans", `INSERT INTO "Scan" (id, "dedupeKey", "reportDigest", format, tool, "targetKind", "targetKey", "targetName", "imageId", "teamId", "receivedAt", "totalCount", "newCount", "fixedCount")
     SELECT 's-' || i.id || '-' || w, md5(i.id || '/' || w), md5(i.id || w), 'trivy', 'trivy', 'image', 'image:' || i.id, i.id, i.id, i."teamId",
       now() - w * interval '7 days', 200, CASE WHEN w = 52 THEN 200 ELSE 2 END, 2
     FROM "Image" i, generate_series(0, 52) w WHERE now() - w * interval '7 days' >= i."firstSeenAt"`],
  ["scan targets", `INSERT INTO "ScanTarget" ("scanId", "targetKey", "imageId", total, new, reopened, fixed) SELECT id, "targetKey", "imageId", "totalCount", "newCount", 0, "fixedCount" FROM "Scan"`],
  ["cluster scans", `INSERT INTO "Scan" (id, "dedupeKey", "reportDigest", format, tool, "targetKind", "targetKey", "targetName", "clusterId", "receivedAt")
     SELECT 'cs-' || c.id || '-' || t || '-' || d, md5(c.id || t || d), md5(c.id || t || d), t, t, 'cluster', 'cluster:' || c.id, c.name, c.id, now() - d * interval '1 day' - interval '1 hour'
     FROM "Cluster" c, unnest(ARRAY['trivy', 'kube-bench']) t, generate_series(0, 364, 3) d`],
  ["read model", `SELECT posture_read_model_rebuild()`],
  // Trend history: episodes from each finding's first sighting and status (as the migration back-fills
  // them), the running images' periods from their image's first sighting, then 365 days of rollups.
  ["finding episodes", `INSERT INTO "FindingEpisode" ("findingId", "openedAt", "closedAt", "closedAs", reopened, "dueAt") SELECT * FROM finding_episodes_from_events()`],
  ["image periods", `INSERT INTO "ImageClusterPeriod" ("imageId", "clusterId", "fromAt")
     SELECT wi."imageId", n."clusterId", min(i."firstSeenAt") FROM "WorkloadImage" wi JOIN "Image" i ON i.id = wi."imageId"
     JOIN "Workload" w ON w.id = wi."workloadId" JOIN "Namespace" n ON n.id = w."namespaceId" GROUP BY 1, 2`],
  ["statistics", `ANALYZE`],
  ["daily rollups", `SELECT posture_daily_rebuild(NULL)`],
  ["statistics, again", `ANALYZE "PostureDaily", "FixDurationDaily"`],
];

export async function buildDataset(client: pg.Client, log: (line: string) => void): Promise<void> {
  await client.query(`SET session_replication_role = replica`); // no triggers (nor FK checks) while loading
  await client.query(`SET statement_timeout = 0`);
  for (const [label, sql] of STEPS) {
    const started = performance.now();
    if (label === "read model") await client.query(`SET session_replication_role = origin`);
    // The episodes are written set-based here; the trigger would write them again.
    if (label === "finding episodes") await client.query(`SET session_replication_role = replica`);
    if (label === "statistics") await client.query(`SET session_replication_role = origin`);
    await client.query(sql);
    log(`  ${label.padEnd(26)} ${((performance.now() - started) / 1000).toFixed(1)} s`);
  }
}
