// @ts-check
// The security headers that are the same on every response, sent by next.config.mjs headers(). Plain
// JavaScript because Node loads next.config.mjs itself, without compiling TypeScript; the TypeScript
// side reads them through security-headers.ts, which says why each is what it is.

/** @typedef {{ key: string; value: string }} Header */

/** @type {Header[]} */
export const commonHeaders = [
  { key: "X-Content-Type-Options", value: "nosniff" },
  { key: "Referrer-Policy", value: "same-origin" },
  // Old browsers that ignore CSP's frame-ancestors.
  { key: "X-Frame-Options", value: "DENY" },
  { key: "Permissions-Policy", value: "camera=(), microphone=(), geolocation=(), payment=(), usb=()" },
];

/** Sent only over https (a browser ignores it over http anyway, so a forged X-Forwarded-Proto gains nothing). @type {Header} */
export const hsts = { key: "Strict-Transport-Security", value: "max-age=31536000; includeSubDomains" };

/** Next's own test for https behind a proxy (next-server.js: x-forwarded-proto includes "https"), as a `has` pattern. */
export const overHttps = /** @type {const} */ ({ type: "header", key: "x-forwarded-proto", value: ".*https.*" });

/**
 * The API's (JSON, CSV, NDJSON): nothing to load or run. Auth.js's own pages under /api/auth (sign-out
 * confirmation, error) need their inline style and post their forms here.
 */
export const apiPolicy = "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";
