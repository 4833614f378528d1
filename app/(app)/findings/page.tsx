import type { Metadata } from "next";
import { NotBuiltYet } from "@/components/ui/not-built-yet";

export const metadata: Metadata = { title: "Findings" };

export default function Page() {
  return <NotBuiltYet title="Findings" what="The triage queue (filters, assignment, status workflow, SLA due dates, exceptions, bulk actions) comes with the remediation tracker." />;
}
