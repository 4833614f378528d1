// The signed-in person for a page or server action: who they are, their role and their teams.
import { headers } from "next/headers";
import { redirect } from "next/navigation";
import { auth } from "@/lib/auth/auth";
import { db } from "@/lib/db";
import type { Role } from "@/lib/generated/prisma/enums";

export interface Viewer {
  userId: string;
  email: string;
  name: string;
  role: Role;
  teamIds: string[];
}

export async function getViewer(): Promise<Viewer | null> {
  const session = await auth().api.getSession({ headers: await headers() });
  if (!session) return null;
  const user = await db.user.findUnique({
    where: { id: session.user.id },
    select: { id: true, email: true, name: true, role: true, disabledAt: true, memberships: { select: { teamId: true } } },
  });
  if (!user || user.disabledAt) return null;
  return {
    userId: user.id,
    email: user.email,
    name: user.name,
    role: user.role,
    teamIds: user.memberships.map((m) => m.teamId),
  };
}

/** For every page but /login: the viewer, or a redirect to sign in. */
export async function requireViewer(): Promise<Viewer> {
  const viewer = await getViewer();
  if (!viewer) redirect("/login");
  return viewer;
}
