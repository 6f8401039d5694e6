// The sync worker, started with the server: every tick it claims the batches that are due with a
// lease (one atomic UPDATE ... FOR UPDATE SKIP LOCKED), syncs them, and releases the lease. Several
// app instances on one PostgreSQL can run it together: a batch is polled and ingested by one
// instance at a time. The lease is renewed while the work lasts (a big ingest outlives 60 s), and a
// crashed instance's leases simply run out.
import "server-only";
import crypto from "node:crypto";
import os from "node:os";
import { db, type Db } from "@/lib/db/client";
import { Prisma } from "@/lib/generated/prisma/client";
import { log } from "@/lib/log";
import { HEARTBEAT_MS, instanceSeen, instanceStopped } from "./instances";
import type { LeaseGuard } from "./lease";
import { syncBatch } from "./sync";

export interface SyncWorkerOptions {
  /** Who holds the leases; unique per process by default. */
  owner?: string;
  tickMs?: number;
  /** Batches synced at once per instance. */
  concurrency?: number;
  leaseMs?: number;
  /** The database handle (a second instance in tests); the app's own by default. */
  prisma?: Db;
  /** No timer: only runOnce() does work (tests, scripts). */
  manual?: boolean;
}

export interface SyncWorker {
  owner: string;
  stop(): Promise<void>;
  /** One tick: claims due batches, syncs them, and returns how many it processed. */
  runOnce(): Promise<number>;
}

const TERMINAL_SQL = Prisma.sql`('COMPLETED', 'FAILED', 'EXPIRED', 'CANCELLED')`;

/** Claims up to `limit` due batches for `owner` in one statement; returns their ids. */
export async function claimDueBatches(prisma: Db, owner: string, limit: number, leaseMs: number): Promise<string[]> {
  // Dates go in as ISO strings cast to timestamp: the columns are timestamp(3) in UTC, and the
  // cast ignores the trailing "Z" on both PGlite and PostgreSQL, whatever the session time zone.
  const now = new Date().toISOString();
  const until = new Date(Date.now() + leaseMs).toISOString();
  const rows = await prisma.$queryRaw<{ id: string }[]>`
    UPDATE "Batch" SET "leaseOwner" = ${owner}, "leaseUntil" = ${until}::timestamp
    WHERE "id" IN (
      SELECT "id" FROM "Batch"
      WHERE "nextPollAt" IS NOT NULL AND "nextPollAt" <= ${now}::timestamp
        AND ("leaseUntil" IS NULL OR "leaseUntil" < ${now}::timestamp)
        AND NOT ("status" IN ${TERMINAL_SQL} AND "resultsIngestedAt" IS NOT NULL)
      ORDER BY "nextPollAt"
      LIMIT ${limit}
      FOR UPDATE SKIP LOCKED
    )
    RETURNING "id"`;
  return rows.map((r) => r.id);
}

/** Extends the lease if we still hold it; false means another instance has it now. */
async function renewLease(prisma: Db, id: string, owner: string, leaseMs: number) {
  const r = await prisma.batch.updateMany({ where: { id, leaseOwner: owner }, data: { leaseUntil: new Date(Date.now() + leaseMs) } });
  return r.count === 1;
}

async function releaseLease(prisma: Db, id: string, owner: string) {
  await prisma.batch.updateMany({ where: { id, leaseOwner: owner }, data: { leaseOwner: null, leaseUntil: null } });
}

export function startSyncWorker(opts: SyncWorkerOptions = {}): SyncWorker {
  const owner = opts.owner ?? `${os.hostname()}:${process.pid}:${crypto.randomBytes(3).toString("hex")}`;
  const tickMs = opts.tickMs ?? 1000;
  const concurrency = opts.concurrency ?? 4;
  const leaseMs = opts.leaseMs ?? 60_000;
  const getDb = () => (opts.prisma ? Promise.resolve(opts.prisma) : db());

  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  const inFlight = new Set<Promise<unknown>>();

  async function processOne(prisma: Db, id: string) {
    let lost = false;
    const lease: LeaseGuard = { lost: () => lost };
    const heartbeat = setInterval(() => {
      renewLease(prisma, id, owner, leaseMs).then(
        (ok) => {
          if (ok || lost) return;
          lost = true;
          log.warn("lease.lost", { batchId: id, owner, during: "sync" });
        },
        // Retried on the next beat; the lease still has time.
        (err) => log.warn("lease.renew_failed", { batchId: id, owner, err }),
      );
    }, Math.max(50, Math.floor(leaseMs / 3)));
    try {
      await syncBatch(prisma, id, { lease });
    } catch (err) {
      log.error("sync.failed", { batchId: id, err });
    } finally {
      clearInterval(heartbeat);
      // Not released, it runs out after leaseMs: the batch waits that long.
      await releaseLease(prisma, id, owner).catch((err) => log.warn("lease.release_failed", { batchId: id, owner, leaseMs, err }));
    }
  }

  async function runOnce(): Promise<number> {
    const prisma = await getDb();
    const ids = await claimDueBatches(prisma, owner, concurrency, leaseMs);
    await Promise.all(ids.map((id) => processOne(prisma, id)));
    return ids.length;
  }

  function track<T>(p: Promise<T>) {
    inFlight.add(p);
    p.finally(() => inFlight.delete(p)).catch(() => {});
    return p;
  }

  let lastSeen = 0;
  async function loop() {
    if (stopped) return;
    let busy = false;
    try {
      if (Date.now() - lastSeen >= HEARTBEAT_MS) {
        await instanceSeen(await getDb(), owner);
        lastSeen = Date.now();
      }
      busy = (await track(runOnce())) >= concurrency;
    } catch (err) {
      // The database may be briefly away (restart, failover): try again on the next tick.
      log.error("sync.tick_failed", { owner, err });
    }
    if (!stopped) timer = setTimeout(loop, busy ? 0 : tickMs);
  }

  if (!opts.manual) {
    timer = setTimeout(loop, 0);
    log.info("sync.worker_started", { owner, tickMs, concurrency, leaseMs });
  }

  return {
    owner,
    runOnce: () => track(runOnce()),
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      while (inFlight.size) await Promise.allSettled([...inFlight]);
      if (!opts.manual) {
        await getDb()
          .then((prisma) => instanceStopped(prisma, owner))
          .catch((err) => log.warn("sync.instance_not_removed", { owner, err }));
        log.info("sync.worker_stopped", { owner });
      }
    },
  };
}
