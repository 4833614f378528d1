import type { Metadata } from "next";
import { NotBuiltYet } from "@/components/ui/not-built-yet";

export const metadata: Metadata = { title: "Team" };

export default function Page() {
  return <NotBuiltYet title="Team" what="The team page comes with the posture views." />;
}
