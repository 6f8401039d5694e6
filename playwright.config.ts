import { defineConfig } from "@playwright/test";
import os from "node:os";
import path from "node:path";

const port = Number(process.env.E2E_PORT ?? 3210);
// A fresh data folder per run: the journey starts from an empty Batchboard, like a new user's.
// Set once in the main process and inherited by the workers and the teardown, which removes it.
const dataDir = (process.env.E2E_DATA_DIR ??= path.join(os.tmpdir(), `batchboard-e2e-${process.pid}`));

export default defineConfig({
  testDir: "e2e",
  globalTeardown: "./e2e/teardown.ts",
  timeout: 120_000,
  expect: { timeout: 20_000 },
  // Two spec files at a time against the one server: each signs up its own people and teams, and
  // most of a spec's time is waiting for batches, so two take 7.9 minutes where one took 14.
  fullyParallel: false,
  workers: 2,
  forbidOnly: !!process.env.CI,
  retries: process.env.CI ? 1 : 0,
  reporter: [["list"]],
  use: {
    baseURL: `http://localhost:${port}`,
    trace: "retain-on-failure",
    screenshot: "only-on-failure",
    launchOptions: {
      executablePath: "/usr/bin/chromium",
      args: [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        "--disable-quic",
      ],
    },
  },
  webServer: {
    command: `node scripts/start.mjs`,
    url: `http://localhost:${port}/sign-in`,
    timeout: 120_000,
    reuseExistingServer: false,
    stdout: "pipe",
    env: {
      PORT: String(port),
      DATA_DIR: dataDir,
      DATABASE_URL: "",
      // The specs sign up many people from one address, most without an invite.
      SIGN_UP: "open",
      SIGN_UPS_PER_IP_PER_HOUR: "1000",
      SANDBOX_MS_PER_REQUEST: "150",
      SYNC_MIN_INTERVAL_MS: "500",
      SYNC_POLL_OVERRIDE_MS: "0",
      SYNC_MAX_INTERVAL_MS: "2000",
      // Specs point custom connections at this app's own sandbox (localhost) and at fake providers
      // they serve on 127.0.0.2; 127.0.0.1 and every other private address stay refused.
      ALLOWED_PRIVATE_HOSTS: "localhost,127.0.0.2",
      // The server's stdout is shown with the test run: its warnings and errors only.
      LOG_LEVEL: "warn",
    },
  },
});
