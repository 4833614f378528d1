import { readFileSync } from "node:fs";
import path from "node:path";

const root = path.resolve(import.meta.dirname, "../../fixtures");

export function fixtureText(relative: string): string {
  return readFileSync(path.join(root, relative), "utf8");
}

export function fixtureJson<T = any>(relative: string): T { // eslint-disable-line @typescript-eslint/no-explicit-any
  return JSON.parse(fixtureText(relative));
}
