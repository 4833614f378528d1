import type { Metadata } from "next";
import { NotBuiltYet } from "@/components/ui/not-built-yet";

export const metadata: Metadata = { title: "Admin" };

export default function Page() {
  return <NotBuiltYet title="Admin" what="Users, teams, tokens, ownership rules, policy and the audit log are managed from the command line for now: npm run admin -- --help." />;
}
