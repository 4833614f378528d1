import type { Metadata } from "next";
import { NotBuiltYet } from "@/components/ui/not-built-yet";

export const metadata: Metadata = { title: "Finding" };

export default function Page() {
  return <NotBuiltYet title="Finding" what="The finding page with its history, comments and exceptions comes with the remediation tracker." />;
}
