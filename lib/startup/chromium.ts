// Finds Debian's Chromium for Playwright (its own browser download does not work offline).
import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";

export const CHROMIUM_HELP =
  "No Chromium found for the browser tests. Install Debian's: `apt-get update && apt-get install -y chromium`, or set CHROMIUM_PATH to a Chromium or Chrome binary.";

export function findChromium(): string | null {
  const configured = process.env.CHROMIUM_PATH;
  if (configured) return existsSync(configured) ? configured : null;
  for (const name of ["chromium", "chromium-browser", "google-chrome-stable", "google-chrome"]) {
    try {
      const found = execFileSync("sh", ["-c", `command -v ${name}`], { encoding: "utf8" }).trim();
      if (found) return found;
    } catch {
      // not on PATH; try the next name
    }
  }
  return null;
}
