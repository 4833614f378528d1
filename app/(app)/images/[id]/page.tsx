import type { Metadata } from "next";
import { NotBuiltYet } from "@/components/ui/not-built-yet";

export const metadata: Metadata = { title: "Image" };

export default function Page() {
  return <NotBuiltYet title="Image" what="The image page (severity counts, fixable counts, where it runs, owning team, scan history and package inventory) comes with the posture views." />;
}
