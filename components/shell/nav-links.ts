// Every page of the product (PRODUCT.md, "Pages"), in the order of the sidebar. `requires` hides
// a link from roles that may not open it (the page itself enforces it too).
import type { Action } from "@/lib/authz/policy";

export interface NavLink {
  href: string;
  label: string;
  requires?: Action;
}

export const NAV_LINKS: readonly NavLink[] = [
  { href: "/", label: "Overview" },
  { href: "/images", label: "Images" },
  { href: "/repositories", label: "Repositories" },
  { href: "/clusters", label: "Clusters" },
  { href: "/teams", label: "Teams" },
  { href: "/findings", label: "Findings" },
  { href: "/packages", label: "Packages" },
  { href: "/exceptions", label: "Exceptions" },
  { href: "/fixes", label: "Top fixes" },
  { href: "/reports", label: "Reports" },
  { href: "/admin", label: "Admin", requires: "audit:read" },
];
