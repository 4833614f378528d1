"use client";
// The explorer's filters, sort, cursor and mode, kept in the URL (shareable, back-button safe).
import { parseAsString, parseAsStringLiteral, useQueryStates, type inferParserType } from "nuqs";

export const explorerParsers = {
  q: parseAsString,
  severity: parseAsString,
  kind: parseAsString,
  status: parseAsString,
  team: parseAsString,
  cluster: parseAsString,
  namespace: parseAsString,
  image: parseAsString,
  target: parseAsString,
  fixable: parseAsString,
  tool: parseAsString,
  rule: parseAsString,
  vuln: parseAsString.withOptions({ shallow: false }),
  assignee: parseAsStringLiteral(["me", "none"] as const),
  sla: parseAsStringLiteral(["breached", "at_risk"] as const),
  sort: parseAsStringLiteral(["severity", "first_seen", "due"] as const),
  after: parseAsString,
  group: parseAsStringLiteral(["vulnerability"] as const),
  page: parseAsString,
};

export type ExplorerState = inferParserType<typeof explorerParsers>;

export function useExplorerState() {
  return useQueryStates(explorerParsers, { history: "push" });
}

/** The state as a query string for the data routes (empty values left out). */
export function toSearch(state: Partial<ExplorerState>, drop: (keyof ExplorerState)[] = []): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(state)) if (value && !drop.includes(key as keyof ExplorerState)) search.set(key, value);
  return search.toString();
}
