import Link from "next/link";
import { DataTable } from "@/components/ui/data-table";
import { ScoreBadge } from "@/components/posture/score-badge";
import { SeverityCounts } from "@/components/ui/severity";
import { isoDate, plural, shortDigest, timeAgo } from "@/lib/format";
import type { ImageRow } from "@/lib/images/list-images";

export function ImageTable({ rows, now }: { rows: ImageRow[]; now: Date }) {
  return (
    <DataTable compact columns={["Image", "Team", "Score", "Open (C / H / M / L / ?) · fixable", "OS", "Scanned · built", { label: "Runs in", align: "right" }]}>
      {rows.map((image) => (
        <tr key={image.id} className="hover:bg-slate-50">
          <td className="px-3 py-3">
            <Link href={`/images/${image.id}`} className="block max-w-[14rem] truncate font-medium text-slate-900 hover:text-brand-700 hover:underline" title={image.repository}>
              {image.repository}
            </Link>
            <div className="mt-0.5 flex flex-wrap gap-1 text-xs text-slate-500">
              {image.tags.slice(0, 3).map((tag) => (
                <span key={tag} className="max-w-[14rem] truncate rounded bg-slate-100 px-1.5 py-0.5 font-mono" title={tag}>{tag}</span>
              ))}
              {shortDigest(image.digest) && <span className="font-mono" title={image.digest ?? ""}>@{shortDigest(image.digest)}</span>}
              {image.retiredAt && <span className="rounded bg-slate-200 px-1.5 py-0.5 text-slate-700">retired</span>}
            </div>
          </td>
          <td className="px-3 py-3 text-slate-700">
            {image.team && image.teamId ? <Link className="hover:underline" href={`/teams/${image.teamId}`}>{image.team}</Link> : <span className="text-slate-400">Unowned</span>}
          </td>
          <td className="px-3 py-3"><ScoreBadge grade={image.grade} value={image.score} /></td>
          <td className="px-3 py-3">
            <SeverityCounts counts={image} />
            <div className="mt-1 text-xs text-slate-500">{image.fixable ? `${image.fixable.toLocaleString("en")} fixable` : "none fixable"}</div>
          </td>
          <td className="px-3 py-3 text-slate-700">
            {image.osName || image.osFamily ? `${image.osFamily ?? ""} ${image.osName ?? ""}`.trim() : <span className="text-slate-400">—</span>}
            {image.osEndOfLife && <span className="ml-1 rounded bg-red-100 px-1.5 py-0.5 text-xs font-semibold text-red-800" title="The OS no longer gets security fixes">EOL</span>}
          </td>
          <td className="whitespace-nowrap px-3 py-3 text-slate-600">
            <span title={image.lastScannedAt?.toISOString()}>{timeAgo(image.lastScannedAt, now)}</span>
            <div className="text-xs text-slate-500" title={isoDate(image.builtAt)}>{image.builtAt ? `built ${timeAgo(image.builtAt, now)}` : "build date unknown"}</div>
          </td>
          <td className="whitespace-nowrap px-3 py-3 text-right tabular-nums text-slate-700">{image.clusters ? plural(image.clusters, "cluster") : "nowhere"}</td>
        </tr>
      ))}
        </DataTable>
  );
}
