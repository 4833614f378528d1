// Runs in each integration test worker before the tests import lib/db (which connects lazily).
import { inject } from "vitest";

process.env.DATABASE_URL = inject("databaseUrl");
process.env.BETTER_AUTH_SECRET ??= "integration-tests-secret-integration-tests-secret";
