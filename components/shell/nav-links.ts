// Every page of the product (PRODUCT.md, "Pages"), in the order of the sidebar.
export const NAV_LINKS = [
  { href: "/", label: "Overview" },
  { href: "/images", label: "Images" },
  { href: "/clusters", label: "Clusters" },
  { href: "/teams", label: "Teams" },
  { href: "/findings", label: "Findings" },
  { href: "/fixes", label: "Top fixes" },
  { href: "/reports", label: "Reports" },
  { href: "/admin", label: "Admin" },
] as const;
