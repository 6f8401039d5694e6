// The data folder's lock, with real processes: a second Batchboard on the folder exits non-zero, and a
// lock whose PID now belongs to another live process does not block a start.
import { spawn, type ChildProcess } from "node:child_process";
import { once } from "node:events";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { killServerProcesses, startServerProcess } from "@/lib/test/server-process";
import { DataFolderInUse, LOCK_FILE, lockDataFolder, processStartTime } from "./lock";

let root: string;
const children: ChildProcess[] = [];

beforeAll(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), "bb-lock-"));
});
afterAll(() => {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill("SIGKILL");
  killServerProcesses();
  fs.rmSync(root, { recursive: true, force: true });
});

function folder(name: string) {
  const dir = path.join(root, name);
  fs.mkdirSync(dir, { recursive: true });
  return dir;
}

/** A live process that is not a Batchboard. */
async function sleeper() {
  const c = spawn("sleep", ["60"], { stdio: "ignore" });
  children.push(c);
  await once(c, "spawn");
  return c;
}

const server = (dataDir: string) => startServerProcess({ DATA_DIR: dataDir });

describe("lockDataFolder", () => {
  it("records the PID and the process's start time, and releases on close", () => {
    const dir = folder("plain");
    const release = lockDataFolder(dir);
    const lock = JSON.parse(fs.readFileSync(path.join(dir, LOCK_FILE), "utf8"));
    expect(lock).toEqual({ pid: process.pid, started: processStartTime(process.pid) });
    expect(lock.started).toMatch(/^(linux|ps):./);
    release();
    expect(fs.existsSync(path.join(dir, LOCK_FILE))).toBe(false);
  });

  it("is not blocked by a lock whose PID now belongs to another live process", async () => {
    const dir = folder("reused");
    const other = await sleeper();
    // What a Batchboard killed long ago left behind: its PID is now the `sleep` process's, started later.
    const before = { pid: other.pid, started: "linux:1" };
    fs.writeFileSync(path.join(dir, LOCK_FILE), JSON.stringify(before));
    const release = lockDataFolder(dir);
    expect(JSON.parse(fs.readFileSync(path.join(dir, LOCK_FILE), "utf8")).pid).toBe(process.pid);
    release();
    expect(other.exitCode).toBeNull(); // left alone
  });

  it("is blocked while the process that wrote the lock lives (same PID, same start time)", async () => {
    const dir = folder("held");
    const other = await sleeper();
    fs.writeFileSync(path.join(dir, LOCK_FILE), JSON.stringify({ pid: other.pid, started: processStartTime(other.pid!) }));
    expect(() => lockDataFolder(dir)).toThrow(DataFolderInUse);
    expect(() => lockDataFolder(dir)).toThrow(`is in use by process ${other.pid}`);
    other.kill("SIGKILL");
    await once(other, "exit");
    // Once it is gone, the lock is stale.
    lockDataFolder(dir)();
  });

  it("takes over a lock of a process that is gone, an older version's bare PID, and an unreadable lock", async () => {
    const gone = await sleeper();
    gone.kill("SIGKILL");
    await once(gone, "exit");
    for (const [name, text] of [["bare", String(gone.pid)], ["torn", '{"pid":'], ["dead", JSON.stringify({ pid: gone.pid, started: "linux:5" })]]) {
      const dir = folder(name);
      fs.writeFileSync(path.join(dir, LOCK_FILE), text);
      lockDataFolder(dir)();
    }
  });

  it("a second Batchboard process on the folder exits non-zero and says why; the first keeps it", async () => {
    const dataDir = folder("server");
    const first = server(dataDir);
    await first.started;
    const second = server(dataDir);
    expect(await second.exited).toBe(1);
    const failed = second.logLines().find((l) => l.event === "server.start_failed") as { error: { message: string } } | undefined;
    expect(failed).toMatchObject({ level: "error", error: { name: "DataFolderInUse" } });
    expect(failed!.error.message).toContain(`in use by process ${first.child.pid}`);
    expect(first.child.exitCode).toBeNull();

    // A SIGTERM stops the first cleanly and frees the folder; a kill -9 leaves a stale lock that
    // the next start takes over.
    first.child.kill("SIGTERM");
    expect(await first.exited).toBe(0);
    expect(fs.existsSync(path.join(dataDir, "pglite", LOCK_FILE))).toBe(false);
    const third = server(dataDir);
    await third.started;
    third.child.kill("SIGKILL");
    await third.exited;
    expect(fs.existsSync(path.join(dataDir, "pglite", LOCK_FILE))).toBe(true);
    const fourth = server(dataDir);
    await fourth.started;
    fourth.child.kill("SIGTERM");
    expect(await fourth.exited).toBe(0);
    // Four server starts, each opening PGlite: a minute is not always enough on a loaded machine.
  }, 180_000);
});
