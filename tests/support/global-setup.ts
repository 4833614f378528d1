// Vitest global setup for integration tests: one fresh, migrated database per run.
import type { TestProject } from "vitest/node";
import { createTestDatabase, type TestDatabase } from "./test-database";

let database: TestDatabase | undefined;

export async function setup(project: TestProject): Promise<void> {
  database = await createTestDatabase("it", 54331);
  project.provide("databaseUrl", database.url);
}

export async function teardown(): Promise<void> {
  await database?.drop();
}

declare module "vitest" {
  export interface ProvidedContext {
    databaseUrl: string;
  }
}
