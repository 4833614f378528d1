import type { ReactNode } from "react";
import { SidebarNav } from "@/components/shell/sidebar-nav";
import { HealthIndicator } from "@/components/shell/health-indicator";
import { signOutAction } from "@/app/login/actions";
import type { Viewer } from "@/lib/auth/viewer";
import { NAV_LINKS } from "@/components/shell/nav-links";
import { can } from "@/lib/authz/policy";

export const roleLabel: Record<Viewer["role"], string> = {
  admin: "Admin",
  security_lead: "Security lead",
  engineer: "Engineer",
  manager: "Manager",
};

export function AppShell({ viewer, children }: { viewer: Viewer; children: ReactNode }) {
  const links = NAV_LINKS.filter((link) => !link.requires || can(viewer.role, link.requires));
  return (
    <div className="flex min-h-screen flex-col md:flex-row">
      {/* A sidebar from tablet width up; at phone width a top bar whose links scroll sideways. */}
      <aside className="flex w-full shrink-0 flex-col gap-3 bg-ink-950 px-4 py-3 md:w-60 md:gap-6 md:py-5">
        <div className="flex items-center gap-2 px-2">
          <span aria-hidden className="grid h-8 w-8 place-items-center rounded-md bg-brand-600 text-sm font-bold text-white">P</span>
          <span className="text-lg font-semibold text-white">Portcullis</span>
        </div>
        <SidebarNav links={links} />
        <form action={signOutAction} className="flex justify-end px-2 text-xs md:hidden">
          <button type="submit" className="rounded-md border border-ink-800 px-2 py-1 text-slate-200">Sign out</button>
        </form>
        <div className="mt-auto hidden flex-col gap-3 border-t border-ink-800 px-2 pt-4 md:flex">
          <HealthIndicator />
          <div className="text-sm text-slate-200">
            <div className="truncate font-medium">{viewer.name}</div>
            <div className="truncate text-xs text-slate-400">
              {viewer.email} · {roleLabel[viewer.role]}
            </div>
          </div>
          <form action={signOutAction}>
            <button type="submit" className="w-full rounded-md border border-ink-800 px-3 py-1.5 text-sm text-slate-200 hover:bg-ink-800">
              Sign out
            </button>
          </form>
        </div>
      </aside>
      <main className="min-w-0 flex-1 px-4 py-5 md:px-8 md:py-6">{children}</main>
    </div>
  );
}
