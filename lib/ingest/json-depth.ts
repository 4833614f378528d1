// Refuses absurdly nested JSON before it is parsed: no scanner report nests anywhere near this
// deep, and deep structures make later recursive steps (validation, storage) fail badly.
import { ReportError } from "@/lib/ingest/errors";

export const MAX_JSON_DEPTH = 100;

export function assertJsonDepth(text: string, max = MAX_JSON_DEPTH): void {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 92 /* \ */) i++;
      else if (c === 34 /* " */) inString = false;
    } else if (c === 34) inString = true;
    else if (c === 123 /* { */ || c === 91 /* [ */) {
      if (++depth > max) throw new ReportError(`JSON is nested deeper than ${max} levels (at character ${i}); no scanner report is`);
    } else if (c === 125 /* } */ || c === 93 /* ] */) depth--;
  }
}
