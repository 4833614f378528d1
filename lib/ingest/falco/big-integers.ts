// Falco writes nanosecond counts (evt.time, falco.start_ts, ...) as JSON integers larger than
// 2^53, which JSON.parse silently rounds. This quotes every integer literal of 16 or more digits
// outside strings before parsing, so that such values are kept exactly, as strings.
const MIN_DIGITS = 16;

export function quoteBigIntegers(text: string): string {
  let out = "";
  let last = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 92 /* \ */) i++;
      else if (c === 34 /* " */) inString = false;
      continue;
    }
    if (c === 34) {
      inString = true;
      continue;
    }
    const startsNumber = (c >= 48 && c <= 57) || c === 45; /* 0-9 or - */
    if (!startsNumber) continue;
    let j = c === 45 ? i + 1 : i;
    while (j < text.length && text.charCodeAt(j) >= 48 && text.charCodeAt(j) <= 57) j++;
    const next = text[j];
    const digits = j - (c === 45 ? i + 1 : i);
    if (digits >= MIN_DIGITS && next !== "." && next !== "e" && next !== "E") {
      out += `${text.slice(last, i)}"${text.slice(i, j)}"`;
      last = j;
    }
    i = j - 1;
  }
  return last === 0 ? text : out + text.slice(last);
}
