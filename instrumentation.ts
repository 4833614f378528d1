// Runs once when the app server starts: the job queue's worker of this replica.
export async function register(): Promise<void> {
  if (process.env.NEXT_RUNTIME !== "nodejs" || process.env.JOBS === "off") return;
  const { startJobQueue } = await import("@/lib/jobs/queue");
  await startJobQueue();
}
