import { FALCO_PRIORITIES } from "@/lib/ingest/falco/parse-events";

const field = "rounded-md border border-slate-300 bg-white px-2 py-1 text-sm";

/**
 * The runtime timeline's filter: a minimum Falco priority and one of the cluster's namespaces,
 * picked rather than typed (a typed "critical" matched nothing when Falco sent "Critical").
 * A value from the address that is not offered stays selected, so the page says what it shows.
 */
export function RuntimeFilter({ priority, namespace, namespaces }: { priority?: string; namespace?: string; namespaces: string[] }) {
  const priorities: string[] = [...FALCO_PRIORITIES];
  const withCurrent = (options: string[], current?: string) => (current && !options.includes(current) ? [...options, current] : options);
  return (
    <form method="get" className="mb-3 flex flex-wrap items-end gap-2 text-sm">
      <div className="flex flex-col text-xs text-slate-600">
        <label htmlFor="runtime-priority">Priority at least</label>
        <select id="runtime-priority" name="priority" defaultValue={priority ?? ""} className={field}>
          <option value="">Any priority</option>
          {withCurrent(priorities, priority).map((p) => <option key={p} value={p}>{p}</option>)}
        </select>
      </div>
      <div className="flex flex-col text-xs text-slate-600">
        <label htmlFor="runtime-namespace">Namespace</label>
        <select id="runtime-namespace" name="namespace" defaultValue={namespace ?? ""} className={field}>
          <option value="">Any namespace</option>
          {withCurrent(namespaces, namespace).map((n) => <option key={n} value={n}>{n}</option>)}
        </select>
      </div>
      <button className="rounded-md bg-brand-600 px-3 py-1 text-white">Filter</button>
    </form>
  );
}
