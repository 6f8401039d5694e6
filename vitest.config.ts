import { defineConfig } from "vitest/config";
import os from "node:os";
import path from "node:path";

export default defineConfig({
  resolve: {
    alias: {
      "@": path.resolve(import.meta.dirname),
      // `server-only` throws outside React Server Components; tests are server code already.
      "server-only": path.resolve(import.meta.dirname, "lib/test/empty.ts"),
    },
  },
  test: {
    include: ["**/*.test.ts"],
    exclude: ["node_modules/**", "e2e/**", ".next*/**"],
    environment: "node",
    // One migrated PGlite database, copied by each test file (lib/test/global-setup.ts).
    globalSetup: ["lib/test/global-setup.ts"],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: "forks",
    // Most test files spend their time waiting (on the sandbox's clock, on HTTP, on the database),
    // so a 2-core machine runs three at once in about half the time of vitest's default of one.
    maxWorkers: Math.max(3, os.availableParallelism() - 1),
    // The fake providers of the tests listen on 127.0.0.1, which the outbound guard refuses unless
    // the operator allows it; the guard's own tests clear this to see the refusal.
    // Logs below warn are noise here; tests of the logs set their own level. Batches are polled at
    // SYNC_MIN_INTERVAL_MS, not at their provider's pace (lib/providers/poll.ts).
    env: { ALLOWED_PRIVATE_HOSTS: "127.0.0.1", LOG_LEVEL: "warn", SYNC_POLL_OVERRIDE_MS: "0" },
    // next-auth's ESM imports "next/server" without an extension, which Node cannot resolve on its
    // own: let vite resolve it (for tests that import the real lib/auth/auth.ts, e.g. route tests).
    server: { deps: { inline: ["next-auth"] } },
  },
});
