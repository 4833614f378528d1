"use client";
// Shows whether the server can reach its database, refreshed every 30 s.
import { useQuery } from "@tanstack/react-query";
import { queryKeys } from "@/lib/query-keys";

async function fetchHealth({ signal }: { signal: AbortSignal }): Promise<{ status: string; db: string }> {
  const response = await fetch("/api/health", { signal, cache: "no-store" });
  return response.json();
}

export function HealthIndicator() {
  const { data, isError } = useQuery({ queryKey: queryKeys.health, queryFn: fetchHealth, refetchInterval: 30_000 });
  const ok = data?.db === "ok" && !isError;
  const label = data === undefined && !isError ? "Checking database…" : ok ? "Database connected" : "Database unreachable";
  return (
    <span className="flex items-center gap-2 text-xs text-slate-400" role="status">
      <span className={`h-2 w-2 rounded-full ${data === undefined && !isError ? "bg-slate-500" : ok ? "bg-emerald-400" : "bg-red-500"}`} />
      {label}
    </span>
  );
}
