// A NUL character (%00) in an address's query: no stored text holds one (ingest removes them), and
// PostgreSQL refuses it in a parameter, which answered 500 on every page and read-API filter that
// passed it on. Refused in one place for pages (proxy.ts) and for the API (apiRoute) with a 400.

/** The message for the first query parameter (name or value) holding a NUL, or null. */
export function nulInQuery(searchParams: URLSearchParams): string | null {
  for (const [name, value] of searchParams) {
    if (name.includes("\u0000") || value.includes("\u0000")) {
      return `The query parameter ${JSON.stringify(name.replaceAll("\u0000", "%00").slice(0, 100))} holds a NUL character (%00), which no text here can contain`;
    }
  }
  return null;
}
