import type { Metadata } from "next";
import { NotBuiltYet } from "@/components/ui/not-built-yet";

export const metadata: Metadata = { title: "Reports" };

export default function Page() {
  return <NotBuiltYet title="Reports" what="Trend reports (open findings over time, new versus fixed, time to remediate, SLA compliance, CSV export) come with the reports release." />;
}
