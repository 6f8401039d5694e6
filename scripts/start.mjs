#!/usr/bin/env node
// Starts the built app (`npm run build` first) on PORT (default 3000) with a clean shutdown:
// NEXT_MANUAL_SIG_HANDLE lets lib/server/start.ts close the database before exiting.
// A plain Node launcher that cannot load lib/env.ts (TypeScript): it reads only where the build is
// and the port, and hands the environment on to the server, which validates it (lib/env.ts).
import { spawn } from "node:child_process";
import fs from "node:fs";

const distDir = process.env.NEXT_DIST_DIR || ".next";
if (!fs.existsSync(`${distDir}/BUILD_ID`)) {
  console.error("No build found: run `npm run build` first.");
  process.exit(1);
}
const port = process.env.PORT || "3000";
// The server inherits it: its data folder is private from the first file (lib/server/data-folder.ts).
process.umask(0o077);
const child = spawn(process.execPath, ["node_modules/next/dist/bin/next", "start", "-p", port], {
  stdio: "inherit",
  env: { ...process.env, PORT: port, NEXT_MANUAL_SIG_HANDLE: "true", NEXT_TELEMETRY_DISABLED: "1" },
});
for (const sig of ["SIGINT", "SIGTERM"]) process.on(sig, () => child.kill(sig));
child.on("exit", (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
