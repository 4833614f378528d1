// Open critical and high findings per week, as small stacked bars. Each bar is SVG sized by its
// attributes: a style attribute in server HTML is refused by the strict CSP, and a bar sized by
// one draws nothing. Each week is a list item that says its numbers (screen readers, tooltips).
import { isoDate } from "@/lib/format";

const HEIGHT = 80;

export interface WeekCounts {
  week: Date;
  critical: number;
  high: number;
}

export function WeeklyBars({ weeks, label }: { weeks: WeekCounts[]; label: string }) {
  const peak = Math.max(1, ...weeks.map((w) => w.critical + w.high));
  return (
    <ol className="flex h-24 items-end gap-1" aria-label={label}>
      {weeks.map((w) => {
        const says = `${isoDate(w.week)}: ${w.critical} critical, ${w.high} high`;
        const critical = (w.critical / peak) * HEIGHT;
        const high = (w.high / peak) * HEIGHT;
        return (
          <li key={w.week.toISOString()} className="h-full flex-1" title={says} aria-label={says}>
            <svg viewBox={`0 0 10 ${HEIGHT}`} preserveAspectRatio="none" className="h-full w-full" aria-hidden="true">
              <rect x="0" width="10" y={HEIGHT - critical - high} height={high} className="fill-orange-400" />
              <rect x="0" width="10" y={HEIGHT - critical} height={critical} className="fill-red-600" />
            </svg>
          </li>
        );
      })}
    </ol>
  );
}
