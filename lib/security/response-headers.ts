// The headers every answer carries, by path: next.config.ts gives them to what Next serves, and
// lib/api/direct-route.ts to the routes served without Next. No imports: next.config.ts loads it.

export type HeaderRule = { source: string; headers: { key: string; value: string }[] };

const everyAnswer = (production: boolean) => [
  { key: "X-Content-Type-Options", value: "nosniff" },
  { key: "Referrer-Policy", value: "same-origin" },
  { key: "X-Frame-Options", value: "DENY" },
  { key: "Cross-Origin-Opener-Policy", value: "same-origin" },
  { key: "Permissions-Policy", value: "camera=(), microphone=(), geolocation=(), payment=()" },
  // Browsers keep to https for two years once they have seen this over https (ignored over http).
  ...(production ? [{ key: "Strict-Transport-Security", value: "max-age=63072000; includeSubDomains" }] : []),
  // Pages get their Content-Security-Policy from proxy.ts (it needs a per-request nonce).
];

// API answers are data, never documents: nothing may run in or frame them. (/api/docs is a page:
// it gets the pages' nonce CSP from proxy.ts.)
const apiAnswer = [{ key: "Content-Security-Policy", value: "default-src 'none'; frame-ancestors 'none'" }];

// What scanners and sensors post to gets a short answer: compressing it (a zlib stream per
// request) cost a runtime alert more CPU than storing it. no-transform tells Next's compression,
// and any proxy, to leave it as it is.
const ingestAnswer = [{ key: "Cache-Control", value: "no-store, no-transform" }];

/** In next.config.ts's headers() form. */
export function responseHeaderRules(production: boolean): HeaderRule[] {
  return [
    { source: "/:path*", headers: everyAnswer(production) },
    { source: "/api/:path((?!docs(?:/|$)).*)", headers: apiAnswer },
    { source: "/api/v1/:path(scans|runtime-events)", headers: ingestAnswer },
  ];
}

/** What the rules above give an ingest route's answer. */
export function ingestAnswerHeaders(production: boolean): Record<string, string> {
  return Object.fromEntries([...everyAnswer(production), ...apiAnswer, ...ingestAnswer].map(({ key, value }) => [key, value]));
}
