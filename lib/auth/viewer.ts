// The signed-in person behind a request: who they are, their role, their teams and their address.
// Pages call requireViewer / requirePermission; everything they load is then scoped by the viewer.
import { headers } from "next/headers";
import { notFound, redirect } from "next/navigation";
import { cache } from "react";
import { auth } from "@/lib/auth/auth";
import { needsTouch, sessionExpired } from "@/lib/auth/session-policy";
import { clientIp } from "@/lib/api/client-ip";
import { can, type Action } from "@/lib/authz/policy";
import { NotVisible, type UserActor } from "@/lib/authz/actor";
import { db } from "@/lib/db";
import { env } from "@/lib/env";

export type Viewer = UserActor;

/** The viewer for these request headers, or null (no session, expired, or the user is disabled). */
export async function viewerFromHeaders(requestHeaders: Headers, now = new Date()): Promise<Viewer | null> {
  const found = await auth().api.getSession({ headers: requestHeaders, query: { disableRefresh: true } });
  if (!found) return null;
  const session = { createdAt: new Date(found.session.createdAt), lastActiveAt: new Date(found.session.updatedAt) };
  if (sessionExpired(session, now, env().session)) {
    await db.session.deleteMany({ where: { id: found.session.id } });
    return null;
  }
  const user = await db.user.findUnique({
    where: { id: found.user.id },
    select: { id: true, email: true, name: true, role: true, disabledAt: true, memberships: { select: { teamId: true } } },
  });
  if (!user || user.disabledAt) return null;
  if (needsTouch(session, now)) await db.session.updateMany({ where: { id: found.session.id }, data: { updatedAt: now } });
  return {
    kind: "user",
    userId: user.id,
    email: user.email,
    name: user.name,
    role: user.role,
    teamIds: user.memberships.map((m) => m.teamId),
    sourceIp: clientIp(requestHeaders),
  };
}

/** Once per request: the layout and the page both ask, the session is looked up once. */
export const getViewer = cache(async (): Promise<Viewer | null> => viewerFromHeaders(await headers()));

/** For every page but /login: the viewer, or a redirect to sign in. */
export async function requireViewer(): Promise<Viewer> {
  const viewer = await getViewer();
  if (!viewer) redirect("/login");
  return viewer;
}

/** A page for some roles only: to everyone else it does not exist. */
export async function requirePermission(action: Action): Promise<Viewer> {
  const viewer = await requireViewer();
  if (!can(viewer.role, action)) notFound();
  return viewer;
}

/** Loads something for a page; invisible or missing both become the 404 page. */
export async function visibleOr404<T>(load: Promise<T>): Promise<T> {
  try {
    return await load;
  } catch (error) {
    if (error instanceof NotVisible) notFound();
    throw error;
  }
}
