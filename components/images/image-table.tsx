import Link from "next/link";
import { SeverityCount } from "@/components/ui/severity";
import { shortDigest, timeAgo } from "@/lib/format";
import type { ImageRow } from "@/lib/images/list-images";
import { SEVERITIES } from "@/lib/findings/model";

export function ImageTable({ rows, now }: { rows: ImageRow[]; now: Date }) {
  return (
    <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white shadow-sm">
      <table className="min-w-full divide-y divide-slate-200 text-sm">
        <thead className="bg-slate-50 text-left text-xs font-semibold uppercase tracking-wide text-slate-500">
          <tr>
            <th scope="col" className="px-4 py-3">Image</th>
            <th scope="col" className="px-4 py-3">Team</th>
            <th scope="col" className="px-4 py-3">Open findings (C / H / M / L / ?)</th>
            <th scope="col" className="px-4 py-3 text-right">Fixable</th>
            <th scope="col" className="px-4 py-3 text-right">Clusters</th>
            <th scope="col" className="px-4 py-3">Last scan</th>
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100">
          {rows.map((image) => (
            <tr key={image.id} className="hover:bg-slate-50">
              <td className="max-w-md px-4 py-3">
                <Link href={`/images/${image.id}`} className="block truncate font-medium text-slate-900 hover:text-brand-700 hover:underline" title={image.repository}>
                  {image.repository}
                </Link>
                <div className="mt-0.5 flex flex-wrap gap-1 text-xs text-slate-500">
                  {image.tags.slice(0, 3).map((tag) => (
                    <span key={tag} className="rounded bg-slate-100 px-1.5 py-0.5 font-mono">{tag}</span>
                  ))}
                  {shortDigest(image.digest) && <span className="font-mono" title={image.digest ?? ""}>@{shortDigest(image.digest)}</span>}
                </div>
              </td>
              <td className="px-4 py-3 text-slate-700">{image.team ?? <span className="text-slate-400">Unowned</span>}</td>
              <td className="px-4 py-3">
                <span className="flex gap-1">
                  {SEVERITIES.map((s) => (
                    <SeverityCount key={s} severity={s} count={image[s]} />
                  ))}
                </span>
              </td>
              <td className="px-4 py-3 text-right tabular-nums">{image.fixable}</td>
              <td className="px-4 py-3 text-right tabular-nums">{image.clusters}</td>
              <td className="px-4 py-3 text-slate-600" title={image.lastScannedAt?.toISOString()}>
                {timeAgo(image.lastScannedAt, now)}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
