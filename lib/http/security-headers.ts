// The security headers of every response. Two places send them, each for what it can do:
// - next.config.ts headers(): the same on every path, fixed at build time (nosniff, Referrer-Policy,
//   X-Frame-Options, Permissions-Policy; HSTS when X-Forwarded-Proto says https; the API's CSP).
// - proxy.ts: a page's Content-Security-Policy, whose nonce is new on every request (Next reads it
//   from the request's policy and puts it on its own scripts). Every page renders per request (the
//   root layout waits for connection()), so none is served with scripts that lack the nonce.
// The page policy, and why:
// - script-src: the nonce with 'strict-dynamic' (scripts Next loads from a nonced script run, no
//   other does, inline or from this origin); 'unsafe-eval' only in development (React's error stacks).
// - style-src 'unsafe-inline': React writes style="" attributes (recharts, progress bars), which
//   no nonce can cover; a nonce here would turn 'unsafe-inline' off.
// - img-src 'self' data: blob: an answer's markdown image is shown as a link (components/results/
//   markdown.tsx), so no text from a provider can make the browser call another host.
// - connect-src 'self' (the app's own API; the dev server's websocket is same-origin too), no
//   plugins, no <base> elsewhere, forms post only here, no framing by anyone.
// - No upgrade-insecure-requests: a team may serve Batchboard over plain http on its network.
// Referrer-Policy same-origin: no address of Batchboard (batch ids and names) reaches another site,
// and same-origin posts keep their Origin (no-referrer would make a form post's Origin "null",
// which the Origin checks refuse).

/** The Content-Security-Policy of a page, for this request's nonce. */
export function pagePolicy(nonce: string, dev = false): string {
  return [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${dev ? " 'unsafe-eval'" : ""}`,
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join("; ");
}

/**
 * The API's (JSON, CSV, NDJSON): nothing to load or run. Auth.js's own pages under /api/auth (sign-out
 * confirmation, error) need their inline style and post their forms here.
 */
export const apiPolicy = "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

/** A fresh nonce: 128 random bits, base64. */
export function newNonce(): string {
  return Buffer.from(crypto.getRandomValues(new Uint8Array(16))).toString("base64");
}

export const commonHeaders: { key: string; value: string }[] = [
  { key: "X-Content-Type-Options", value: "nosniff" },
  { key: "Referrer-Policy", value: "same-origin" },
  // Old browsers that ignore CSP's frame-ancestors.
  { key: "X-Frame-Options", value: "DENY" },
  { key: "Permissions-Policy", value: "camera=(), microphone=(), geolocation=(), payment=(), usb=()" },
];

/** Sent only over https (a browser ignores it over http anyway, so a forged X-Forwarded-Proto gains nothing). */
export const hsts = { key: "Strict-Transport-Security", value: "max-age=31536000; includeSubDomains" };

/** Next's own test for https behind a proxy (next-server.js: x-forwarded-proto includes "https"), as a `has` pattern. */
export const overHttps = { type: "header" as const, key: "x-forwarded-proto", value: ".*https.*" };
