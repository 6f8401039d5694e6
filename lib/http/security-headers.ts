// The security headers of every response. Two places send them, each for what it can do:
// - next.config.mjs headers(): the same on every path, fixed at build time (nosniff, Referrer-Policy,
//   X-Frame-Options, Permissions-Policy; HSTS when X-Forwarded-Proto says https; the API's CSP). Their
//   values live in fixed-headers.mjs, plain JavaScript that Node loads with the config; this module
//   hands them on to the TypeScript side.
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

export { apiPolicy, commonHeaders, hsts, overHttps } from "./fixed-headers.mjs";

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

/** A fresh nonce: 128 random bits, base64. */
export function newNonce(): string {
  return Buffer.from(crypto.getRandomValues(new Uint8Array(16))).toString("base64");
}
