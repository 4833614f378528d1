import type { Metadata } from "next";
import { NotBuiltYet } from "@/components/ui/not-built-yet";

export const metadata: Metadata = { title: "Clusters" };

export default function Page() {
  return <NotBuiltYet title="Clusters" what="Clusters with their namespaces, workloads, the images they run, runtime alerts and CIS results come with the posture views." />;
}
