import { listImages } from "@/lib/images/list-images";
import { postureOf, posturesOf, uniqueVulnerabilities } from "@/lib/posture/read-model";
import { loadOverview } from "@/lib/posture/overview";
import { listClusters, clusterDetail } from "@/lib/posture/clusters";
import { teamDetail } from "@/lib/posture/teams";
import { imageDetail } from "@/lib/posture/details";
import { disconnectDb } from "@/lib/db";
const lead = { teamIds: null };
const eng = { teamIds: ["team-2"] };
async function t(label: string, f: () => Promise<unknown>) {
  await f(); const s = performance.now(); for (let i = 0; i < 5; i++) await f(); console.log(label.padEnd(30), ((performance.now() - s) / 5).toFixed(1), "ms");
}
await t("listImages lead", () => listImages(lead, { page: 1, sort: "score", state: "active" }));
await t("listImages eng", () => listImages(eng, { page: 1, sort: "score", state: "active" }));
await t("postureOf lead", () => postureOf(lead));
await t("unique lead", () => uniqueVulnerabilities(lead));
await t("postures team lead", () => posturesOf(lead, "team"));
await t("postures cluster lead", () => posturesOf(lead, "cluster"));
await t("overview lead", () => loadOverview(lead));
await t("overview eng", () => loadOverview(eng));
await t("listClusters lead", () => listClusters(lead));
await t("clusterDetail lead", () => clusterDetail(lead, "cluster-1"));
await t("teamDetail lead", () => teamDetail(lead, "team-2"));
await t("imageDetail lead", () => imageDetail(lead, "img-1-10"));
await disconnectDb();
