// "log4j-core < 2.17.1": a package name with an optional comparison, and a version order that
// works across ecosystems well enough to compare two versions of one package (numbers compare as
// numbers, a pre-release like 2.0.0-rc1 comes before 2.0.0, an epoch "1:" comes first).
export type Comparison = "<" | "<=" | "=" | ">=" | ">";

export interface PackageQuery {
  name: string;
  comparison: Comparison | null;
  version: string | null;
}

export function parsePackageQuery(input: string): PackageQuery | null {
  const match = /^\s*([^\s<>=@]+)\s*(?:(<=|>=|==|=|<|>|@)\s*(\S+))?\s*$/.exec(input);
  if (!match || match[1].length > 214) return null;
  const [, name, op, version] = match;
  const comparison = op === undefined ? null : op === "==" || op === "@" ? "=" : (op as Comparison);
  return { name, comparison, version: version ?? null };
}

function parts(version: string): { epoch: number; main: (number | string)[]; pre: string | null } {
  const epochMatch = /^(\d+):(.*)$/.exec(version);
  const epoch = epochMatch ? Number(epochMatch[1]) : 0;
  const rest = (epochMatch ? epochMatch[2] : version).replace(/^v/i, "").split("+")[0];
  const dash = rest.search(/-(?=[A-Za-z])/);
  const main = dash >= 0 ? rest.slice(0, dash) : rest;
  const pre = dash >= 0 ? rest.slice(dash + 1) : null;
  return { epoch, main: main.split(/[.\-_~]/).map((p) => (/^\d+$/.test(p) ? Number(p) : p)), pre };
}

export function compareVersions(a: string, b: string): number {
  const x = parts(a);
  const y = parts(b);
  if (x.epoch !== y.epoch) return x.epoch - y.epoch;
  for (let i = 0; i < Math.max(x.main.length, y.main.length); i++) {
    const p = x.main[i] ?? 0;
    const q = y.main[i] ?? 0;
    if (p === q) continue;
    if (typeof p === "number" && typeof q === "number") return p - q;
    return String(p).localeCompare(String(q), "en", { numeric: true });
  }
  if (x.pre === y.pre) return 0;
  if (x.pre === null) return 1;
  if (y.pre === null) return -1;
  return x.pre.localeCompare(y.pre, "en", { numeric: true });
}

export function versionMatches(version: string, query: PackageQuery): boolean {
  if (!query.comparison || !query.version) return true;
  const c = compareVersions(version, query.version);
  return { "<": c < 0, "<=": c <= 0, "=": c === 0, ">=": c >= 0, ">": c > 0 }[query.comparison];
}
