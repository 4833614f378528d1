// When a session ends by itself: after a time without use (idle) and at a fixed time after
// sign-in (absolute), whichever comes first. better-auth enforces the absolute limit too
// (its expiresIn); the idle limit is ours because better-auth only knows a sliding expiry.
export interface SessionTimes {
  createdAt: Date;
  /** Last time the session was used, kept to the minute (see TOUCH_EVERY_MS). */
  lastActiveAt: Date;
}

export const TOUCH_EVERY_MS = 60_000;

export function sessionExpired(session: SessionTimes, now: Date, limits: { idleMs: number; maxMs: number }): boolean {
  return now.getTime() - session.lastActiveAt.getTime() > limits.idleMs || now.getTime() - session.createdAt.getTime() > limits.maxMs;
}

export function needsTouch(session: SessionTimes, now: Date): boolean {
  return now.getTime() - session.lastActiveAt.getTime() > TOUCH_EVERY_MS;
}
