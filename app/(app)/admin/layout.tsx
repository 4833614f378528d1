import type { ReactNode } from "react";
import { AdminTabs } from "@/components/admin/admin-tabs";
import { PageHeader } from "@/components/ui/page-header";
import { requirePermission } from "@/lib/auth/viewer";
import { can } from "@/lib/authz/policy";

const SECTIONS = [
  { href: "/admin", label: "Summary", requires: "audit:read" },
  { href: "/admin/users", label: "Users", requires: "users:manage" },
  { href: "/admin/teams", label: "Teams", requires: "users:manage" },
  { href: "/admin/tokens", label: "API tokens", requires: "tokens:manage" },
  { href: "/admin/policy", label: "Policy", requires: "policy:manage" },
  { href: "/admin/webhooks", label: "Webhooks", requires: "policy:manage" },
  { href: "/admin/audit", label: "Audit log", requires: "audit:read" },
] as const;

export default async function AdminLayout({ children }: { children: ReactNode }) {
  const viewer = await requirePermission("audit:read");
  return (
    <>
      <PageHeader title="Admin" description="People, teams, API tokens and the audit log of every security-relevant action." />
      <AdminTabs tabs={SECTIONS.filter((s) => can(viewer.role, s.requires)).map(({ href, label }) => ({ href, label }))} />
      {children}
    </>
  );
}
