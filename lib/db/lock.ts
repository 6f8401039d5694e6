// The embedded database's folder lock. PGlite has no lock of its own and two processes writing one
// folder would corrupt it, so the first process writes DATA_DIR/pglite/batchboard.lock and the next
// one refuses to start (lib/server/start.ts exits non-zero on DataFolderInUse).
// The lock names its process by PID and by the process's start time: a PID alone is not an identity
// (after a crash or a reboot the PID of the dead Batchboard may belong to any other process, which
// must not block a start). The start time comes from /proc/<pid>/stat on Linux, from `ps` elsewhere;
// where neither answers, a live PID is taken as the holder, as a lock of an older version (a bare
// PID) is.
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";

export const LOCK_FILE = "batchboard.lock";

/** Another live process holds the folder. */
export class DataFolderInUse extends Error {
  constructor(
    readonly folder: string,
    readonly pid: number,
  ) {
    super(
      `The data folder ${folder} is in use by process ${pid}. Stop that Batchboard first, or set DATA_DIR to another folder. ` +
        `(If process ${pid} is not a Batchboard, delete ${path.join(folder, LOCK_FILE)}.)`,
    );
    this.name = "DataFolderInUse";
  }
}

interface Holder {
  pid: number;
  /** The process's start time as the system tells it (an opaque string); "" when unknown. */
  started: string;
}

/**
 * When the process started, as a string that differs between two processes that had the same PID;
 * undefined when the process does not exist or the system cannot say.
 */
export function processStartTime(pid: number): string | undefined {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
    // The command name (field 2) is in parentheses and may hold spaces: count fields after its ")".
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return `linux:${fields[19]}`; // field 22, starttime in clock ticks since boot
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT" && fs.existsSync("/proc/self/stat")) return undefined; // Linux: no such process
  }
  try {
    const out = execFileSync("ps", ["-o", "lstart=", "-p", String(pid)], { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"], timeout: 5000 }).trim();
    return out ? `ps:${out}` : undefined;
  } catch {
    return undefined;
  }
}

function isAlive(pid: number) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === "EPERM";
  }
}

function readHolder(text: string): Holder | undefined {
  try {
    const h = JSON.parse(text) as Partial<Holder> | number;
    if (typeof h === "number") return { pid: h, started: "" }; // a bare PID: the format of older versions
    if (h && Number.isInteger(h.pid) && h.pid! > 0) return { pid: h.pid!, started: typeof h.started === "string" ? h.started : "" };
  } catch {
    // unreadable (a crash while writing it): nobody can be holding it
  }
  return undefined;
}

/** Is the process the lock names still the one that wrote it? */
function holds(h: Holder) {
  if (h.pid === process.pid || !isAlive(h.pid)) return false;
  if (!h.started) return true; // cannot tell: assume it is
  const now = processStartTime(h.pid);
  return now === undefined ? isAlive(h.pid) : now === h.started;
}

/** Takes the folder's lock, or throws DataFolderInUse. Returns the release. */
export function lockDataFolder(dir: string): () => void {
  const folder = path.resolve(dir);
  const lock = path.join(folder, LOCK_FILE);
  const mine = JSON.stringify({ pid: process.pid, started: processStartTime(process.pid) ?? "" });
  const release = () => {
    // Only our own lock: a folder taken over after we were thought dead stays locked.
    if (fs.existsSync(lock) && fs.readFileSync(lock, "utf8") === mine) fs.rmSync(lock, { force: true });
  };
  for (let attempt = 0; attempt < 5; attempt++) {
    try {
      fs.writeFileSync(lock, mine, { flag: "wx", mode: 0o600 });
      return release;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== "EEXIST") throw err;
    }
    let text: string;
    try {
      text = fs.readFileSync(lock, "utf8");
    } catch {
      continue; // removed meanwhile: try again
    }
    const holder = readHolder(text);
    if (holder && holds(holder)) throw new DataFolderInUse(folder, holder.pid);
    removeStale(lock, text);
  }
  throw new Error(`Could not lock the data folder ${folder}: its lock file ${lock} keeps changing.`);
}

/**
 * Removes a stale lock, and only that one: two processes may find the same stale lock at once, and
 * the slower one must not remove the lock the faster one has just written. The file is moved aside
 * (atomic) and checked; a fresh lock moved aside by mistake is put back.
 */
function removeStale(lock: string, staleText: string) {
  const aside = `${lock}.${process.pid}.stale`;
  try {
    fs.renameSync(lock, aside);
  } catch {
    return; // gone already
  }
  try {
    if (fs.readFileSync(aside, "utf8") !== staleText) fs.linkSync(aside, lock);
  } catch {
    // a third lock appeared meanwhile: the next attempt reads it
  } finally {
    fs.rmSync(aside, { force: true });
  }
}
