import Link from "next/link";
import type { Placement } from "@/lib/findings/by-vulnerability";

/** Where the images with one vulnerability run; clusters the viewer may not open are named, not linked. */
export function WhereItRuns({ vulnerabilityId, placements, visibleClusters }: { vulnerabilityId: string; placements: Placement[]; visibleClusters: Set<string> }) {
  return (
    <section aria-label={`Where ${vulnerabilityId} runs`} className="mb-4 rounded-lg border border-slate-200 bg-white p-4 shadow-sm">
      <h2 className="font-semibold">Where {vulnerabilityId} runs</h2>
      {placements.length === 0 ? (
        <p className="mt-1 text-sm text-slate-500">No image with an open finding of {vulnerabilityId} runs in a cluster that a report has shown.</p>
      ) : (
        <table className="mt-2 w-full text-sm">
          <thead className="text-left text-xs uppercase text-slate-500"><tr><th className="py-1">Cluster</th><th>Namespace</th><th>Workload</th><th>Image</th><th>Team</th></tr></thead>
          <tbody className="divide-y divide-slate-100">
            {placements.map((p) => (
              <tr key={`${p.clusterId}/${p.namespace}/${p.workload}/${p.imageId}`}>
                <td className="py-1">{visibleClusters.has(p.clusterId) ? <Link className="text-brand-700 hover:underline" href={`/clusters/${p.clusterId}`}>{p.cluster}</Link> : p.cluster}</td>
                <td>{p.namespace}</td>
                <td>{p.workload}</td>
                <td><Link className="text-brand-700 hover:underline" href={`/images/${p.imageId}`}>{p.image}</Link></td>
                <td>{p.team ?? "no team"}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
