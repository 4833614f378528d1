// Replicas that start together take turns for what must not run concurrently at start-up
// (migrations, the job queue's set-up): a PostgreSQL advisory lock held by a session of its own.
import pg from "pg";

export async function oneReplicaAtATime<T>(databaseUrl: string, name: string, work: (session: pg.Client) => Promise<T>): Promise<T> {
  const session = new pg.Client({ connectionString: databaseUrl, application_name: `portcullis-${name}` });
  await session.connect();
  try {
    await session.query(`SELECT pg_advisory_lock(hashtextextended($1, 0))`, [`portcullis:${name}`]);
    return await work(session);
  } finally {
    // Ending the session releases the lock.
    await session.end().catch(() => undefined);
  }
}
