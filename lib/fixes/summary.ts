// What a top fix closes, in words (the /fixes page).
import { plural } from "@/lib/format";
import type { TopFix } from "@/lib/fixes/top-fixes";

export function fixSummary(f: Pick<TopFix, "findings" | "bySeverity" | "images" | "teams" | "unownedImages">): string {
  const severities = (["critical", "high", "medium", "low"] as const).filter((s) => f.bySeverity[s] > 0).map((s) => `${f.bySeverity[s]} ${s}`);
  // Images no team owns are not counted among teams: say so, or "of 1 team" hides them.
  const owners =
    f.teams === 0 ? (f.images === 1 ? " (no team owns it)" : " (no team owns them)")
    : f.unownedImages > 0 ? ` of ${plural(f.teams, "team")}, and ${f.unownedImages} no team owns`
    : ` of ${plural(f.teams, "team")}`;
  return `closes ${plural(f.findings, "finding")}${severities.length ? ` (${severities.join(", ")})` : ""} in ${plural(f.images, "image")}${owners}`;
}
