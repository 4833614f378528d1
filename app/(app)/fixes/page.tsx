import type { Metadata } from "next";
import { NotBuiltYet } from "@/components/ui/not-built-yet";

export const metadata: Metadata = { title: "Top fixes" };

export default function Page() {
  return <NotBuiltYet title="Top fixes" what="The upgrades that close the most findings come with the remediation tracker." />;
}
