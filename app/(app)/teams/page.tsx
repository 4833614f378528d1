import type { Metadata } from "next";
import { NotBuiltYet } from "@/components/ui/not-built-yet";

export const metadata: Metadata = { title: "Teams" };

export default function Page() {
  return <NotBuiltYet title="Teams" what="Teams with their open findings, SLA compliance and time to fix come with the posture views." />;
}
