// CSV that spreadsheets open safely: quoted when needed, and a cell that a spreadsheet would run
// as a formula (=, +, -, @, tab, carriage return first) starts with an apostrophe instead.
export function csvCell(value: unknown): string {
  if (value === null || value === undefined) return "";
  let text = value instanceof Date ? value.toISOString() : Array.isArray(value) ? value.join(" ") : String(value);
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function csvLine(values: readonly unknown[]): string {
  return `${values.map(csvCell).join(",")}\n`;
}

/**
 * A streamed CSV response: `pages` yields batches of rows (keyset pages read one at a time), so
 * the server holds one batch, however many rows there are.
 */
export function csvResponse<T>(filename: string, header: readonly string[], toCells: (row: T) => unknown[], pages: AsyncIterable<T[]>): Response {
  const encoder = new TextEncoder();
  const iterator = pages[Symbol.asyncIterator]();
  const stream = new ReadableStream<Uint8Array>({
    start(controller) {
      controller.enqueue(encoder.encode(csvLine(header)));
    },
    async pull(controller) {
      const { value, done } = await iterator.next();
      if (done) return controller.close();
      controller.enqueue(encoder.encode(value.map((row) => csvLine(toCells(row))).join("")));
    },
    async cancel() {
      await iterator.return?.();
    },
  });
  return new Response(stream, {
    headers: { "content-type": "text/csv; charset=utf-8", "content-disposition": `attachment; filename="${filename}"`, "cache-control": "no-store" },
  });
}
