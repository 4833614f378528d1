// What a top fix closes, in words (the /fixes page).
import { plural } from "@/lib/format";
import type { TopFix } from "@/lib/fixes/top-fixes";

export function fixSummary(f: Pick<TopFix, "findings" | "bySeverity" | "images" | "teams">): string {
  const severities = (["critical", "high", "medium", "low"] as const).filter((s) => f.bySeverity[s] > 0).map((s) => `${f.bySeverity[s]} ${s}`);
  // Images no team owns are not counted among teams: "of 0 teams" said nothing.
  const owners = f.teams > 0 ? ` of ${plural(f.teams, "team")}` : f.images === 1 ? " (no team owns it)" : " (no team owns them)";
  return `closes ${plural(f.findings, "finding")}${severities.length ? ` (${severities.join(", ")})` : ""} in ${plural(f.images, "image")}${owners}`;
}
