// The loop of a background worker (the sync worker, the notification outbox): run a tick, wait
// tickMs (none when the tick was full: more work is waiting), again until stopped; stop() waits for
// the tick under way. A failed tick (the database briefly away) is reported and tried again.
import crypto from "node:crypto";
import os from "node:os";
import type { Db } from "@/lib/db/client";

/** What a worker is started with. */
export interface WorkerOptions {
  /** Who holds the leases; unique per process by default (workerOwner()). */
  owner?: string;
  tickMs?: number;
  /** Items worked on at once per instance. */
  concurrency?: number;
  leaseMs?: number;
  /** The database handle (a second instance in tests); the app's own by default. */
  prisma?: Db;
  /** No timer: only runOnce() does work (tests, scripts). */
  manual?: boolean;
}

export interface Worker {
  owner: string;
  stop(): Promise<void>;
  /** One tick: claims what is due, works on it, and returns how many it processed. */
  runOnce(): Promise<number>;
}

/** A lease owner unique to this process. */
export const workerOwner = () => `${os.hostname()}:${process.pid}:${crypto.randomBytes(3).toString("hex")}`;

export interface TickLoop {
  /** One tick now (tests, scripts): how many items it processed. */
  runOnce(): Promise<number>;
  stop(): Promise<void>;
}

export function startTickLoop(o: { tick: () => Promise<number>; tickMs: number; full: number; manual?: boolean; onError: (err: unknown) => void }): TickLoop {
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  const inFlight = new Set<Promise<unknown>>();

  function track<T>(p: Promise<T>) {
    inFlight.add(p);
    p.finally(() => inFlight.delete(p)).catch(() => {});
    return p;
  }

  async function loop() {
    if (stopped) return;
    let busy = false;
    try {
      busy = (await track(o.tick())) >= o.full;
    } catch (err) {
      o.onError(err);
    }
    if (!stopped) timer = setTimeout(loop, busy ? 0 : o.tickMs);
  }

  if (!o.manual) timer = setTimeout(loop, 0);
  return {
    runOnce: () => track(o.tick()),
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      while (inFlight.size) await Promise.allSettled([...inFlight]);
    },
  };
}
