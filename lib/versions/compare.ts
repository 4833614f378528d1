// Version order per ecosystem, for picking the upgrade that fixes a package: semver (npm, Go,
// Cargo) and PEP 440 (Python) through their well-kept libraries; Debian (dpkg), RPM (rpmvercmp)
// and Alpine (apk) by their published algorithms, which no maintained npm package implements;
// anything else by a generic order (numbers as numbers, pre-releases first).
import * as pep440 from "@renovatebot/pep440";
import semver from "semver";
import { compareVersions as genericCompare } from "@/lib/findings/version-range";

export type Ecosystem = "deb" | "rpm" | "apk" | "npm" | "golang" | "cargo" | "pypi" | "other";

/** The ecosystem of a package from its purl ("pkg:deb/debian/openssl@…" → deb). */
export function ecosystemOf(purl: string | null): Ecosystem {
  const type = /^pkg:([a-z0-9.+-]+)\//i.exec(purl ?? "")?.[1]?.toLowerCase();
  if (type === "deb" || type === "rpm" || type === "apk" || type === "npm" || type === "golang" || type === "cargo" || type === "pypi") return type;
  return "other";
}

export function compareIn(ecosystem: Ecosystem, a: string, b: string): number {
  switch (ecosystem) {
    case "deb":
      return dpkgCompare(a, b);
    case "rpm":
      return rpmCompare(a, b);
    case "apk":
      return apkCompare(a, b);
    case "pypi": {
      const c = pep440.valid(a) && pep440.valid(b) ? pep440.compare(a, b) : null;
      return c ?? genericCompare(a, b);
    }
    case "npm":
    case "golang":
    case "cargo": {
      // Go writes v1.2.3 and +incompatible; both are semver to the library.
      const x = semver.valid(a.replace(/^v/, ""), { loose: true });
      const y = semver.valid(b.replace(/^v/, ""), { loose: true });
      return x && y ? semver.compare(x, y, { loose: true }) : genericCompare(a, b);
    }
    default:
      return genericCompare(a, b);
  }
}

const sign = (n: number) => (n < 0 ? -1 : n > 0 ? 1 : 0);

// ---------------------------------------------------------------- Debian: dpkg's verrevcmp

/** dpkg's order of one character in a non-digit run: ~ before everything (even the end), letters before the rest. */
function dpkgOrder(c: string | undefined): number {
  if (c === undefined) return 0;
  if (c === "~") return -1;
  if (/[A-Za-z]/.test(c)) return c.charCodeAt(0);
  return c.charCodeAt(0) + 256;
}

function verrevcmp(a: string, b: string): number {
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    let firstDiff = 0;
    while ((i < a.length && !/\d/.test(a[i])) || (j < b.length && !/\d/.test(b[j]))) {
      const ac = i < a.length && !/\d/.test(a[i]) ? dpkgOrder(a[i]) : 0;
      const bc = j < b.length && !/\d/.test(b[j]) ? dpkgOrder(b[j]) : 0;
      if (ac !== bc) return sign(ac - bc);
      i++;
      j++;
    }
    while (a[i] === "0") i++;
    while (b[j] === "0") j++;
    while (i < a.length && /\d/.test(a[i]) && j < b.length && /\d/.test(b[j])) {
      if (!firstDiff) firstDiff = a.charCodeAt(i) - b.charCodeAt(j);
      i++;
      j++;
    }
    if (i < a.length && /\d/.test(a[i])) return 1;
    if (j < b.length && /\d/.test(b[j])) return -1;
    if (firstDiff) return sign(firstDiff);
  }
  return 0;
}

function splitDebian(v: string): [number, string, string] {
  const colon = v.indexOf(":");
  const epoch = colon > 0 && /^\d+$/.test(v.slice(0, colon)) ? Number(v.slice(0, colon)) : 0;
  const rest = colon > 0 ? v.slice(colon + 1) : v;
  const dash = rest.lastIndexOf("-");
  return dash >= 0 ? [epoch, rest.slice(0, dash), rest.slice(dash + 1)] : [epoch, rest, ""];
}

export function dpkgCompare(a: string, b: string): number {
  const [ea, ua, ra] = splitDebian(a);
  const [eb, ub, rb] = splitDebian(b);
  return sign(ea - eb) || verrevcmp(ua, ub) || verrevcmp(ra, rb);
}

// ---------------------------------------------------------------- RPM: rpmvercmp

function rpmvercmp(a: string, b: string): number {
  if (a === b) return 0;
  const segments = (s: string) => s.match(/~|\^|\d+|[A-Za-z]+/g) ?? [];
  const x = segments(a);
  const y = segments(b);
  for (let k = 0; ; k++) {
    const p = x[k];
    const q = y[k];
    // ~ sorts before anything, even the end; ^ after the end but before anything else.
    if (p === "~" || q === "~") {
      if (p !== q) return p === "~" ? -1 : 1;
      continue;
    }
    if (p === "^" || q === "^") {
      if (p === undefined) return -1;
      if (q === undefined) return 1;
      if (p !== q) return p === "^" ? -1 : 1;
      continue;
    }
    if (p === undefined || q === undefined) return p === undefined && q === undefined ? 0 : p === undefined ? -1 : 1;
    const pNum = /^\d/.test(p);
    const qNum = /^\d/.test(q);
    if (pNum !== qNum) return pNum ? 1 : -1;
    if (pNum) {
      const c = sign(p.replace(/^0+/, "").length - q.replace(/^0+/, "").length) || sign(p.replace(/^0+/, "").localeCompare(q.replace(/^0+/, "")));
      if (c) return c;
    } else if (p !== q) return p < q ? -1 : 1;
  }
}

export function rpmCompare(a: string, b: string): number {
  const split = (v: string): [number, string, string] => {
    const colon = v.indexOf(":");
    const epoch = colon > 0 ? Number(v.slice(0, colon)) || 0 : 0;
    const rest = colon > 0 ? v.slice(colon + 1) : v;
    const dash = rest.lastIndexOf("-");
    return dash >= 0 ? [epoch, rest.slice(0, dash), rest.slice(dash + 1)] : [epoch, rest, ""];
  };
  const [ea, va, ra] = split(a);
  const [eb, vb, rb] = split(b);
  return sign(ea - eb) || rpmvercmp(va, vb) || (ra && rb ? rpmvercmp(ra, rb) : 0);
}

// ---------------------------------------------------------------- Alpine: apk

const APK_SUFFIXES = ["alpha", "beta", "pre", "rc", "", "cvs", "svn", "git", "hg", "p"];

/** 1.2.3a_rc1_p2-r4 → numbers, a letter, suffixes with numbers, and the package release. */
function apkParts(v: string) {
  const match = /^([0-9]+(?:\.[0-9]+)*)([a-z]?)((?:_[a-z]+[0-9]*)*)(?:-r([0-9]+))?$/.exec(v);
  if (!match) return null;
  return {
    numbers: match[1].split(".").map(Number),
    letter: match[2],
    suffixes: (match[3].match(/_[a-z]+[0-9]*/g) ?? []).map((s) => {
      const [, name, n] = /^_([a-z]+)([0-9]*)$/.exec(s)!;
      return { rank: APK_SUFFIXES.indexOf(name), n: Number(n || 0) };
    }),
    release: Number(match[4] ?? 0),
  };
}

export function apkCompare(a: string, b: string): number {
  const x = apkParts(a);
  const y = apkParts(b);
  if (!x || !y) return genericCompare(a, b);
  for (let k = 0; k < Math.max(x.numbers.length, y.numbers.length); k++) {
    if (x.numbers[k] === undefined) return -1;
    if (y.numbers[k] === undefined) return 1;
    if (x.numbers[k] !== y.numbers[k]) return sign(x.numbers[k] - y.numbers[k]);
  }
  if (x.letter !== y.letter) return x.letter < y.letter ? -1 : 1;
  // A version without a suffix ranks as the empty suffix: after alpha..rc, before p (patch).
  for (let k = 0; k < Math.max(x.suffixes.length, y.suffixes.length); k++) {
    const p = x.suffixes[k] ?? { rank: APK_SUFFIXES.indexOf(""), n: 0 };
    const q = y.suffixes[k] ?? { rank: APK_SUFFIXES.indexOf(""), n: 0 };
    if (p.rank !== q.rank) return sign(p.rank - q.rank);
    if (p.n !== q.n) return sign(p.n - q.n);
  }
  return sign(x.release - y.release);
}

/**
 * The upgrade that fixes a package: among the fixed versions scanners list for its
 * vulnerabilities ("6.0.3.1, 5.2.4.3": one per release line), for each vulnerability the lowest
 * fix above the installed version, and of those the highest, which fixes them all.
 */
export function upgradeTarget(ecosystem: Ecosystem, installed: string, fixedLists: string[]): string | null {
  let target: string | null = null;
  for (const list of fixedLists) {
    const candidates = list.split(/,\s*/).map((v) => v.trim()).filter((v) => v && compareIn(ecosystem, v, installed) > 0);
    if (candidates.length === 0) continue;
    const lowest = candidates.reduce((m, v) => (compareIn(ecosystem, v, m) < 0 ? v : m));
    if (target === null || compareIn(ecosystem, lowest, target) > 0) target = lowest;
  }
  return target;
}
