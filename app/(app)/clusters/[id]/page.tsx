import type { Metadata } from "next";
import { NotBuiltYet } from "@/components/ui/not-built-yet";

export const metadata: Metadata = { title: "Cluster" };

export default function Page() {
  return <NotBuiltYet title="Cluster" what="The cluster page comes with the posture views." />;
}
