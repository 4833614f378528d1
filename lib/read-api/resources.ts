// The read API over the same domain services as the pages (images list, explorer, image and
// finding detail, clusters, teams), scoped by the token: a team-bound token sees its team's data,
// a cluster-bound one its cluster's. Answers are shaped by lib/read-api/schemas.ts.
import { z } from "zod";
import { AccessDenied, NotVisible } from "@/lib/authz/actor";
import { InvalidInput } from "@/lib/admin/input";
import { clusterOfToken, scopeOfToken, tokenSeesImage } from "@/lib/api/token-scope";
import { findFindings, isFindingCursor, type FindingRow } from "@/lib/findings/explore";
import { isPosition, listImages, positionOf, type ImagePosition, type ImageRow } from "@/lib/images/list-images";
import { listClusters } from "@/lib/posture/clusters";
import { findingDetail, imageDetail } from "@/lib/posture/details";
import type { Posture } from "@/lib/posture/read-model";
import { listTeams } from "@/lib/posture/teams";
import type { VerifiedToken } from "@/lib/tokens/api-tokens";
import type { clusterItemSchema, findingDetailSchema, findingItemSchema, FindingsQuery, imageDetailSchema, imageItemSchema, ImagesQuery, postureSchema, teamItemSchema } from "@/lib/read-api/schemas";

type Token = Pick<VerifiedToken, "teamId" | "clusterId">;
type Json<T extends z.ZodType> = z.input<T>;

const iso = (d: Date | null) => d?.toISOString() ?? null;
const named = (id: string | null, name: string | null) => (id ? { id, name: name ?? "" } : null);

function posture(p: Posture): Json<typeof postureSchema> {
  return { open: p.findings, total: p.total, fixable: p.fixable, score: p.score.value, grade: p.score.grade };
}

// ---------------------------------------------------------------- images

// A keyset cursor: the sort it was given for, and the last row's place in it (lib/images/list-images.ts).
const imageCursor = z.object({ s: z.enum(["score", "critical", "age", "scanned", "name"]), v: z.array(z.union([z.string().max(600), z.number(), z.null()])).max(4), id: z.string().max(64) });
function decodeImageCursor(cursor: string | undefined, sort: ImagesQuery["sort"]): ImagePosition | undefined {
  if (!cursor) return undefined;
  try {
    const decoded = imageCursor.parse(JSON.parse(Buffer.from(cursor, "base64url").toString("utf8")));
    if (decoded.s === sort && isPosition(sort, decoded.v)) return { values: decoded.v, id: decoded.id };
  } catch {
    // answered below
  }
  throw new InvalidInput("cursor is not one this API gave out for this sort: pass nextCursor from the previous page unchanged");
}
const encodeImageCursor = (sort: ImagesQuery["sort"], p: ImagePosition) => Buffer.from(JSON.stringify({ s: sort, v: p.values, id: p.id })).toString("base64url");

function imageItem(row: ImageRow): Json<typeof imageItemSchema> {
  return {
    id: row.id,
    repository: row.repository,
    tags: row.tags,
    digest: row.digest,
    team: named(row.teamId, row.team),
    os: row.osName ? `${row.osFamily ?? ""} ${row.osName}`.trim() : null,
    osEndOfLife: row.osEndOfLife,
    open: { critical: row.critical, high: row.high, medium: row.medium, low: row.low, unknown: row.unknown },
    fixable: row.fixable,
    score: row.score,
    grade: row.grade,
    clusters: row.clusters,
    builtAt: iso(row.builtAt),
    lastScannedAt: iso(row.lastScannedAt),
    retired: row.retiredAt !== null,
  };
}

export async function readImages(token: Token, query: ImagesQuery) {
  const after = decodeImageCursor(query.cursor, query.sort);
  const { rows } = await listImages(scopeOfToken(token), { ...query, page: 1, cluster: clusterOfToken(token, query.cluster) }, new Date(), { offset: 0, limit: query.limit + 1, after });
  const page = rows.slice(0, query.limit);
  const next = rows.length > query.limit ? encodeImageCursor(query.sort, positionOf(page[page.length - 1], query.sort)) : null;
  return { items: page.map(imageItem), nextCursor: next };
}

export async function readImage(token: Token, id: string): Promise<Json<typeof imageDetailSchema>> {
  const image = await imageDetail(scopeOfToken(token), id);
  if (!(await tokenSeesImage(token, { id: image.id, teamId: image.team?.id ?? null }))) throw new NotVisible("Image");
  return {
    id: image.id,
    repository: image.repository.name,
    tags: image.tags,
    digest: image.digest,
    team: image.team,
    os: image.osName ? `${image.osFamily ?? ""} ${image.osName}`.trim() : null,
    osEndOfLife: image.osEndOfLife,
    builtAt: iso(image.builtAt),
    lastScannedAt: iso(image.lastScannedAt),
    retired: image.retiredAt !== null,
    posture: posture(image.posture),
    uniqueVulnerabilities: image.uniqueVulnerabilities,
    packages: image.packageCount,
    runsIn: image.workloads
      .filter((w) => !token.clusterId || w.workload.namespace.cluster.id === token.clusterId)
      .map((w) => ({ cluster: w.workload.namespace.cluster, namespace: w.workload.namespace.name, workload: { kind: w.workload.kind, name: w.workload.name }, lastSeenAt: w.lastSeenAt.toISOString() })),
    upgrades: image.byPackage.map((p) => ({ package: p.packageName, installed: p.installedVersion, fixedVersion: p.fixedVersion, findings: p.findings, worst: p.worst })),
    scans: image.history.map((h) => ({ id: h.scan.id, tool: h.scan.tool, toolVersion: h.scan.toolVersion, receivedAt: h.scan.receivedAt.toISOString(), findings: h.total, opened: h.new, reopened: h.reopened, closed: h.fixed })),
  };
}

// ---------------------------------------------------------------- findings

function findingItem(row: FindingRow): Json<typeof findingItemSchema> {
  return {
    id: row.id,
    kind: row.kind,
    severity: row.severity,
    status: row.status as Json<typeof findingItemSchema>["status"],
    ruleId: row.ruleId,
    vulnerabilityId: row.vulnerabilityId,
    title: row.title,
    package: row.packageName,
    installed: row.installedVersion,
    fixedVersion: row.fixedVersion,
    fixable: row.fixable,
    target: row.target,
    imageId: row.imageId,
    team: named(row.teamId, row.team),
    cluster: named(row.clusterId, row.cluster),
    namespace: row.namespace,
    reportedBy: row.reportedBy,
    firstSeenAt: row.firstSeenAt.toISOString(),
    lastSeenAt: row.lastSeenAt.toISOString(),
    dueAt: iso(row.dueAt),
    assignee: row.assignee,
  };
}

export async function readFindings(token: Token, query: FindingsQuery) {
  const { cursor, limit, ...filters } = query;
  if (cursor && !isFindingCursor(cursor, query.sort)) throw new InvalidInput("cursor is not one this API gave out for this sort: pass nextCursor from the previous page unchanged");
  // "Assigned to me" means nothing for a token.
  if (filters.assignee === "me") throw new InvalidInput("assignee=me is for people signed in; a token may ask for assignee=none");
  const { rows, next } = await findFindings(scopeOfToken(token), { ...filters, cluster: clusterOfToken(token, filters.cluster), after: cursor }, limit);
  return { items: rows.map(findingItem), nextCursor: next };
}

export async function readFinding(token: Token, id: string): Promise<Json<typeof findingDetailSchema>> {
  const f = await findingDetail(scopeOfToken(token), id);
  if (token.clusterId && f.cluster?.id !== token.clusterId && !(f.image && (await tokenSeesImage(token, { id: f.image.id, teamId: f.teamId })))) throw new NotVisible("Finding");
  return {
    id: f.id,
    kind: f.kind,
    severity: f.severity,
    status: f.status,
    ruleId: f.ruleId,
    vulnerabilityId: f.vulnerabilityId,
    title: f.title,
    package: f.packageName,
    installed: f.installedVersion,
    fixedVersion: f.fixedVersion,
    fixable: f.fixable,
    imageId: f.imageId,
    team: f.team,
    cluster: f.cluster,
    namespace: f.namespace?.name ?? null,
    reportedBy: f.reportedBy,
    firstSeenAt: f.firstSeenAt.toISOString(),
    lastSeenAt: f.lastSeenAt.toISOString(),
    dueAt: iso(f.dueAt),
    assignee: f.assignee ? (f.assignee.name ?? f.assignee.email) : null,
    location: f.location,
    startLine: f.startLine,
    fixedAt: iso(f.fixedAt),
    justification: f.justification,
    image: f.image ? { id: f.image.id, repository: f.image.repository.name, tags: f.image.tags } : null,
    workload: f.workload,
    description: f.vulnerability?.description ?? null,
    references: f.vulnerability?.references ?? [],
    cvssScore: f.vulnerability?.cvssScore ?? f.cvssScore ?? null,
  };
}

// ---------------------------------------------------------------- clusters and teams

export async function readClusters(token: Token): Promise<{ items: Json<typeof clusterItemSchema>[]; nextCursor: null }> {
  const clusters = await listClusters(scopeOfToken(token), new Date(), token.clusterId ? [token.clusterId] : undefined);
  return {
    items: clusters.map((c) => ({
      id: c.id,
      name: c.name,
      team: c.team,
      posture: posture(c.posture),
      namespaces: c.namespaces,
      workloads: c.workloads,
      images: c.images,
      runtimeAlerts24h: c.alerts24h,
      runtimeAlerts7d: c.alerts7d,
      lastReports: { trivy: iso(c.lastTrivy), kubeBench: iso(c.lastKubeBench), falco: iso(c.lastFalco) },
    })),
    nextCursor: null,
  };
}

export async function readTeams(token: Token): Promise<{ items: Json<typeof teamItemSchema>[]; nextCursor: null }> {
  if (token.clusterId) throw new AccessDenied("This token is bound to a cluster: it reads /clusters, /images and /findings of that cluster, not teams");
  const teams = await listTeams(scopeOfToken(token));
  return { items: teams.map((t) => ({ id: t.id, name: t.name, members: t.members, images: t.images, clusters: t.clusters, namespaces: t.namespaces, posture: posture(t.posture) })), nextCursor: null };
}
