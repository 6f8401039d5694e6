// @ts-check
// Next's settings, read by `next build` and again by `next start`. Node loads this file itself (an
// .mjs needs no compiling), so it cannot import lib/env.ts, the one reader of the environment
// elsewhere: like instrumentation.ts and scripts/start.mjs, it reads the two variables it needs
// directly, parsed as lib/env.ts parses them (next.config.test.ts holds the two to the same values).
// lib/env.ts still validates every setting, ALLOWED_ORIGINS included: when the server starts
// (lib/server/start.ts runs settings() first; a wrong value logs server.start_failed and exits 1).
import createNextIntlPlugin from "next-intl/plugin";
import { apiPolicy, commonHeaders, hsts, overHttps } from "./lib/http/fixed-headers.mjs";

/** A comma-separated list of host names, as lib/env.ts's hostList() splits it. */
const hostList = (/** @type {string | undefined} */ v) => (v ?? "").split(",").map((h) => h.trim()).filter(Boolean);

/** @type {import("next").NextConfig} */
const nextConfig = {
  // Lets several dev servers share one checkout (each with its own build folder).
  distDir: process.env.NEXT_DIST_DIR || ".next",
  // PGlite and the schema engine load wasm from node_modules at run time; bundling them would also
  // copy PGlite's wasm into the public static folder.
  serverExternalPackages: [
    "@electric-sql/pglite",
    "pglite-prisma-adapter",
    "@prisma/schema-engine-wasm",
    "@node-rs/argon2",
    "busboy",
  ],
  poweredByHeader: false,
  // Tests and screenshots open the dev server on 127.0.0.1 as well as localhost.
  allowedDevOrigins: ["127.0.0.1"],
  typedRoutes: false,
  // Every response's security headers; a page's Content-Security-Policy comes from proxy.ts (a nonce
  // per request), the API's from here (lib/http/security-headers.ts says why each is what it is).
  async headers() {
    return [
      { source: "/:path*", headers: commonHeaders },
      { source: "/:path*", has: [overHttps], headers: [hsts] },
      { source: "/api/:path*", headers: [{ key: "Content-Security-Policy", value: apiPolicy }] },
    ];
  },
  experimental: {
    // Read at `next start` too: the same hosts pass the server actions' Origin check and the mutating
    // routes' (lib/http/origin.ts).
    serverActions: { allowedOrigins: hostList(process.env.ALLOWED_ORIGINS) },
  },
};

// next-intl reads each request's language and messages from lib/i18n/request.ts (docs/i18n.md).
export default createNextIntlPlugin("./lib/i18n/request.ts")(nextConfig);
