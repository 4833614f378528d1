// What the server writes about failures. Never row contents, tokens, passwords or query values:
// an unexpected error is logged as its kind, its SQLSTATE or Prisma code, the first line of its
// message with every quoted value elided, and where in our code it happened.
const MAX_MESSAGE = 300;

/** The first line of a message, with quoted or backticked values replaced by "…". */
export function redactMessage(message: string): string {
  const firstLine = message.split("\n").find((line) => line.trim() !== "") ?? "";
  return firstLine
    .replace(/"(?:[^"\\]|\\.)*"/g, '"…"')
    .replace(/'(?:[^'\\]|\\.)*'/g, "'…'")
    .replace(/pcl_[A-Za-z0-9_-]+/g, "pcl_…")
    .slice(0, MAX_MESSAGE);
}

function frames(stack: string | undefined): string {
  return (stack ?? "")
    .split("\n")
    .filter((line) => /^\s+at /.test(line))
    .slice(0, 8)
    .join("\n");
}

export function logUnexpected(where: string, error: unknown): void {
  const e = error as { name?: string; code?: string; message?: string; stack?: string } | null;
  const kind = [e?.name ?? typeof error, e?.code].filter(Boolean).join(" ");
  console.error(`[${where}] unexpected ${kind}: ${redactMessage(String(e?.message ?? error))}\n${frames(e?.stack)}`);
}
