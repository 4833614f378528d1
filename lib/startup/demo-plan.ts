// Whether `npm start` loads demo data, and with which password for the demo accounts.
// The embedded database is for trying Portcullis: it gets demo data unless DEMO_DATA=false, with
// the documented password. A real server gets demo data only when asked (DEMO_DATA=true), with a
// password the operator chose (DEMO_PASSWORD), which is never written to the log.
export const DOCUMENTED_DEMO_PASSWORD = "portcullis-demo";

export interface DemoPlan {
  load: boolean;
  password: string;
  /** The embedded database (DATABASE_URL unset). */
  embedded: boolean;
}

export function demoPlan(environment: Record<string, string | undefined>): DemoPlan {
  const embedded = !environment.DATABASE_URL;
  const setting = environment.DEMO_DATA?.trim().toLowerCase() || undefined;
  if (setting !== undefined && setting !== "true" && setting !== "false") throw new Error(`DEMO_DATA must be true or false, not ${JSON.stringify(environment.DEMO_DATA)}`);
  if (embedded) return { load: setting !== "false", password: DOCUMENTED_DEMO_PASSWORD, embedded };
  if (setting !== "true") return { load: false, password: "", embedded };
  const password = environment.DEMO_PASSWORD ?? "";
  if (password.length < 12) throw new Error("DEMO_DATA=true on a real database needs DEMO_PASSWORD (at least 12 characters) for the demo accounts");
  return { load: true, password, embedded };
}
