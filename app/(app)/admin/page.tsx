import type { Metadata } from "next";
import Link from "next/link";
import { card } from "@/components/admin/ui";
import { requirePermission } from "@/lib/auth/viewer";
import { can } from "@/lib/authz/policy";
import { adminSummary } from "@/lib/admin/summary";

export const metadata: Metadata = { title: "Admin" };

export default async function AdminPage() {
  const viewer = await requirePermission("audit:read");
  const summary = await adminSummary(viewer);
  const tiles = [
    { label: "Active users", value: summary.activeUsers, href: "/admin/users", show: can(viewer.role, "users:manage") },
    { label: "Teams", value: summary.teams, href: "/admin/teams", show: can(viewer.role, "users:manage") },
    { label: "Active API tokens", value: summary.activeTokens, href: "/admin/tokens", show: true },
    { label: "Failed sign-ins, last 24 h", value: summary.failedSignIns24h, href: "/admin/audit?action=auth.sign_in_failed", show: true },
  ];
  return (
    <div className="grid gap-4 sm:grid-cols-2 lg:grid-cols-4">
      {tiles
        .filter((t) => t.show)
        .map((t) => (
          <Link key={t.label} href={t.href} className={`${card} p-5 hover:border-brand-600`}>
            <div className="text-sm text-slate-500">{t.label}</div>
            <div className="mt-1 text-3xl font-semibold tabular-nums text-slate-900">{t.value}</div>
          </Link>
        ))}
    </div>
  );
}
