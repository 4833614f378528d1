// Pure arithmetic of trend reports: percentiles from day histograms, ratios, weeks.

/** Median, mean and p90 (nearest rank) of a histogram of whole days; null when it is empty. */
export function durationStats(histogram: ReadonlyMap<number, number>): { count: number; median: number; mean: number; p90: number } | null {
  const entries = [...histogram.entries()].filter(([, n]) => n > 0).sort((a, b) => a[0] - b[0]);
  const count = entries.reduce((sum, [, n]) => sum + n, 0);
  if (count === 0) return null;
  const rank = (q: number) => {
    const target = Math.max(1, Math.ceil(q * count));
    let seen = 0;
    for (const [days, n] of entries) {
      seen += n;
      if (seen >= target) return days;
    }
    return entries[entries.length - 1][0];
  };
  const mean = entries.reduce((sum, [days, n]) => sum + days * n, 0) / count;
  return { count, median: rank(0.5), mean: Math.round(mean * 10) / 10, p90: rank(0.9) };
}

/** A share as a percentage with one decimal; null when there is nothing to divide. */
export function percent(part: number, whole: number): number | null {
  return whole > 0 ? Math.round((part / whole) * 1000) / 10 : null;
}

/** The Monday (UTC) of a day's ISO week, as YYYY-MM-DD. */
export function weekOf(day: string): string {
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() - ((d.getUTCDay() + 6) % 7));
  return d.toISOString().slice(0, 10);
}

export function addDays(day: string, n: number): string {
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + n);
  return d.toISOString().slice(0, 10);
}

export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000) + 1;
}
