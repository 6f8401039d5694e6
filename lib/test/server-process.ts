// A Batchboard server process for tests that need a real one beside the test (a second process on
// a data folder, the modes of what a start writes): lib/test/server-process.child.ts runs the
// server's own start-up (instrumentation.ts) without Next, with the environment given here.
import { spawn, type ChildProcess } from "node:child_process";
import { childProcessEnv } from "@/lib/env";

export interface ServerProcess {
  child: ChildProcess;
  /** Resolves once it is up; rejects if it exits first. */
  started: Promise<void>;
  /** Its exit code. */
  exited: Promise<number | null>;
  /** Its stdout and stderr so far. */
  output(): string;
  /** Its JSON log lines so far. */
  logLines(): Record<string, unknown>[];
}

const all: ChildProcess[] = [];

export function startServerProcess(env: Record<string, string>): ServerProcess {
  const child = spawn(process.execPath, ["--conditions=react-server", "--import", "tsx", "lib/test/server-process.child.ts"], {
    cwd: process.cwd(),
    // LOG_LEVEL: the tests read the start-up events (vitest runs at warn).
    env: childProcessEnv({ SYNC_WORKER: "false", DATABASE_URL: "", NEXT_RUNTIME: "", LOG_LEVEL: "info", ...env }),
    stdio: ["ignore", "pipe", "pipe"],
  });
  all.push(child);
  let out = "";
  child.stdout!.on("data", (d) => (out += d));
  child.stderr!.on("data", (d) => (out += d));
  const exited = new Promise<number | null>((r) => child.on("exit", (code) => r(code)));
  const started = new Promise<void>((ok, fail) => {
    child.stdout!.on("data", () => out.includes("started\n") && ok());
    void exited.then((code) => fail(new Error(`exited with ${code} before starting:\n${out}`)));
  });
  started.catch(() => {}); // a process expected to fail is awaited by its exit instead
  return {
    child,
    started,
    exited,
    output: () => out,
    logLines: () =>
      out
        .split("\n")
        .filter((l) => l.startsWith("{"))
        .map((l) => JSON.parse(l) as Record<string, unknown>),
  };
}

/** Kills every server process a test file started and left running. */
export function killServerProcesses() {
  for (const c of all) if (c.exitCode === null && c.signalCode === null) c.kill("SIGKILL");
}
