import type { NextConfig } from "next";
import { settings } from "./lib/env";
import { apiPolicy, commonHeaders, hsts, overHttps } from "./lib/http/security-headers";

const nextConfig: NextConfig = {
  // Lets several dev servers share one checkout (each with its own build folder).
  distDir: settings().NEXT_DIST_DIR,
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
    serverActions: { allowedOrigins: settings().ALLOWED_ORIGINS },
  },
};

export default nextConfig;
