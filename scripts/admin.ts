// npm run admin -- <command> [options]: set up users, teams and tokens without clicking.
// Every failure prints one line to stderr and exits non-zero; create-token prints the token alone
// on the last line of stdout.
import { parseArgs } from "node:util";
import { InvalidInput as CommandError, ROLES } from "@/lib/admin/input";
import { createTeam } from "@/lib/admin/teams";
import { createToken, listTokens, revokeToken, tokenIdByPrefix } from "@/lib/admin/tokens";
import { createUser, setDisabled, userIdByEmail } from "@/lib/admin/users";
import { CLI_ACTOR } from "@/lib/authz/actor";
import { disconnectDb } from "@/lib/db";
import { attachDatabase, type OpenedDatabase } from "@/lib/startup/database";
import { migrateDeploy } from "@/lib/startup/migrate";

const USAGE = `usage: npm run admin -- <command> [options]
  create-user  --email E --password P --role ${ROLES.join("|")} [--team T]... [--name N]
  create-team  --name T
  create-token --name N --scope ingest|read|ingest,read [--team T] [--cluster C] [--expires-days D]
  list-tokens
  revoke-token --prefix P
  disable-user --email E      (also ends all of their sessions)
  enable-user  --email E`;

const options = {
  email: { type: "string" },
  password: { type: "string" },
  role: { type: "string" },
  team: { type: "string", multiple: true },
  name: { type: "string" },
  scope: { type: "string" },
  cluster: { type: "string" },
  "expires-days": { type: "string" },
  prefix: { type: "string" },
  help: { type: "boolean", short: "h" },
} as const;

async function run(argv: string[]): Promise<void> {
  const { values, positionals } = parseArgs({ args: argv, options, allowPositionals: true, strict: true });
  const [command, ...extra] = positionals;
  if (values.help || !command) {
    console.log(USAGE);
    if (!command && !values.help) throw new CommandError("no command given");
    return;
  }
  if (extra.length) throw new CommandError(`unexpected argument: ${extra[0]}`);
  const required = (name: keyof typeof values) => {
    const value = values[name];
    if (value === undefined) throw new CommandError(`--${name} is required for ${command}`);
    return value;
  };
  switch (command) {
    case "create-user": {
      const user = await createUser(CLI_ACTOR, {
        email: required("email") as string,
        password: required("password") as string,
        role: required("role") as (typeof ROLES)[number],
        teams: values.team ?? [],
        name: values.name,
      });
      console.log(`created user ${user.email} (${user.id})`);
      return;
    }
    case "create-team": {
      const team = await createTeam(CLI_ACTOR, { name: required("name") as string });
      console.log(`created team ${team.name} (${team.id})`);
      return;
    }
    case "create-token": {
      if ((values.team?.length ?? 0) > 1) throw new CommandError("--team may be given once for a token");
      const created = await createToken(CLI_ACTOR, {
        name: required("name") as string,
        scope: required("scope") as string,
        team: values.team?.[0],
        cluster: values.cluster,
        expiresDays: values["expires-days"],
      });
      console.log(`created token ${created.prefix}… (shown once; only its hash is stored)`);
      console.log(created.token);
      return;
    }
    case "list-tokens": {
      const now = new Date();
      for (const t of await listTokens(CLI_ACTOR)) {
        const state = t.revokedAt ? "revoked" : t.expiresAt && t.expiresAt <= now ? "expired" : "active";
        const bound = t.team ? `team ${t.team.name}` : t.cluster ? `cluster ${t.cluster.name}` : "unbound";
        console.log([t.prefix, t.name, t.scopes.join(","), bound, state, `last used ${t.lastUsedAt?.toISOString() ?? "never"}`].join("\t"));
      }
      return;
    }
    case "revoke-token": {
      const prefix = required("prefix") as string;
      await revokeToken(CLI_ACTOR, await tokenIdByPrefix(prefix));
      console.log(`revoked token ${prefix}`);
      return;
    }
    case "disable-user":
    case "enable-user": {
      const email = required("email") as string;
      await setDisabled(CLI_ACTOR, await userIdByEmail(email), command === "disable-user");
      console.log(`${command === "disable-user" ? "disabled (and signed out everywhere)" : "enabled"} ${email}`);
      return;
    }
    default:
      throw new CommandError(`unknown command: ${command} (see npm run admin -- --help)`);
  }
}

/** DATABASE_URL, or the embedded database (the running app's, or opened here while the app is stopped). */
async function withDatabase(work: () => Promise<void>): Promise<void> {
  let database: OpenedDatabase | null = null;
  try {
    database = await attachDatabase(process.cwd());
    process.env.DATABASE_URL = database.url;
    if (database.embedded) await migrateDeploy(database.url, { quiet: true });
    await work();
  } finally {
    await disconnectDb().catch(() => undefined);
    await database?.embedded?.stop().catch(() => undefined);
  }
}

withDatabase(() => run(process.argv.slice(2))).catch((error: unknown) => {
  const known = error instanceof CommandError || (error instanceof TypeError && "code" in error && String(error.code).startsWith("ERR_PARSE_ARGS"));
  const message = known ? (error as Error).message : `failed: ${(error as Error).message?.split("\n")[0] ?? String(error)}`;
  console.error(`admin: ${message.split("\n")[0]}`);
  process.exit(known ? 2 : 1);
});
