// `npm run admin -- <args>` as a real process, for the CLI's tests: its exit code, stdout and stderr.
import { spawn } from "node:child_process";
import { childProcessEnv } from "@/lib/env";

export async function runAdmin(args: string[], env: Record<string, string | undefined>) {
  const c = spawn(process.execPath, ["--conditions=react-server", "--import", "tsx", "scripts/admin.ts", ...args], {
    env: childProcessEnv(env),
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  let err = "";
  c.stdout.on("data", (d) => (out += d));
  c.stderr.on("data", (d) => (err += d));
  const code = await new Promise<number | null>((r) => c.on("exit", r));
  return { code, out, err };
}
