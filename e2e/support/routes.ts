// Every page and API route of the app, found from the files under app/ (Next's own rule:
// route groups in parentheses do not count), so a new route cannot escape the access matrix.
import { readdirSync } from "node:fs";
import path from "node:path";

const appDir = path.resolve(import.meta.dirname, "../../app");

export function discoverRoutes(): { pages: string[]; apis: string[] } {
  const pages: string[] = [];
  const apis: string[] = [];
  const walk = (dir: string, segments: string[]) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      if (entry.isDirectory()) {
        walk(path.join(dir, entry.name), /^\(.*\)$/.test(entry.name) ? segments : [...segments, entry.name]);
      } else if (entry.name === "page.tsx") pages.push(`/${segments.join("/")}`);
      else if (entry.name === "route.ts") apis.push(`/${segments.join("/")}`);
    }
  };
  walk(appDir, []);
  return { pages: pages.sort(), apis: apis.sort() };
}
