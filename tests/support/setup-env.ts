// Runs in each integration test worker before the tests import lib/db (which connects lazily).
import { inject } from "vitest";

process.env.DATABASE_URL = inject("databaseUrl");
process.env.BETTER_AUTH_SECRET ??= "integration-tests-secret-integration-tests-secret";
// The webhook tests' receivers listen on the loopback, which webhooks may not reach by default.
process.env.WEBHOOK_BLOCKED_NETWORKS ??= "169.254.0.0/16, fe80::/10";
