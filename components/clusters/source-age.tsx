import { timeAgo } from "@/lib/format";
import type { ClusterSources } from "@/lib/posture/overview";

const WEEK = 7 * 24 * 3600 * 1000;

/** The last report of each source, with a stale marker when it is older than a week (or never came). */
export function SourceAge({ cluster, now }: { cluster: ClusterSources; now: Date }) {
  const sources: [string, Date | null][] = [["Trivy (k8s, operator)", cluster.lastTrivy], ["kube-bench", cluster.lastKubeBench], ["Falco", cluster.lastFalco]];
  return (
    <ul className="space-y-0.5 text-sm">
      {sources.map(([name, at]) => {
        const stale = !at || now.getTime() - at.getTime() > WEEK;
        return (
          <li key={name} className={stale ? "text-amber-700" : "text-slate-600"}>
            {name}: {timeAgo(at, now)}
            {stale && <span className="ml-1 rounded bg-amber-100 px-1 font-semibold">stale</span>}
          </li>
        );
      })}
    </ul>
  );
}
