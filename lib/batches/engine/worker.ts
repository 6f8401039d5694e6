// The sync worker, started with the server: every tick it claims the batches that are due with a
// lease (one atomic UPDATE ... FOR UPDATE SKIP LOCKED), syncs them, and releases the lease. Several
// app instances on one PostgreSQL can run it together: a batch is polled and ingested by one
// instance at a time. The lease is renewed while the work lasts (a big ingest outlives 60 s), and a
// crashed instance's leases simply run out.
import "server-only";
import { db, type Db } from "@/lib/db/client";
import { Prisma } from "@/lib/generated/prisma/client";
import { log } from "@/lib/log";
import { startTickLoop, workerOwner, type Worker, type WorkerOptions } from "@/lib/server/tick-loop";
import { HEARTBEAT_MS, instanceSeen, instanceStopped } from "./instances";
import type { LeaseGuard } from "./lease";
import { syncBatch } from "./sync";

export interface SyncWorkerOptions extends WorkerOptions {
  /**
   * More work each tick beside the syncs, with the same owner: the queued launches
   * (lib/batches/queue.ts runDueQueues, passed in by lib/server/start.ts: the engine does not
   * import the layer above it). Answers how much it did.
   */
  alsoEachTick?: (prisma: Db, owner: string) => Promise<number>;
}
export type SyncWorker = Worker;

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
  const owner = opts.owner ?? workerOwner();
  const tickMs = opts.tickMs ?? 1000;
  const concurrency = opts.concurrency ?? 4;
  const leaseMs = opts.leaseMs ?? 60_000;
  const getDb = () => (opts.prisma ? Promise.resolve(opts.prisma) : db());

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
    const extra = opts.alsoEachTick?.(prisma, owner).catch((err) => {
      log.error("worker.task_failed", { owner, err });
      return 0;
    });
    const ids = await claimDueBatches(prisma, owner, concurrency, leaseMs);
    await Promise.all(ids.map((id) => processOne(prisma, id)));
    return ids.length + ((await extra) ?? 0);
  }

  const loop = startTickLoop({
    tick: async () => {
      // The instance says it is alive (npm run admin -- instances) every HEARTBEAT_MS.
      if (!opts.manual && Date.now() - lastSeen >= HEARTBEAT_MS) {
        await instanceSeen(await getDb(), owner);
        lastSeen = Date.now();
      }
      return runOnce();
    },
    tickMs,
    full: concurrency,
    manual: opts.manual,
    // The database may be briefly away (restart, failover): try again on the next tick.
    onError: (err) => log.error("sync.tick_failed", { owner, err }),
  });
  let lastSeen = 0;
  if (!opts.manual) log.info("sync.worker_started", { owner, tickMs, concurrency, leaseMs });

  return {
    owner,
    runOnce: loop.runOnce,
    async stop() {
      await loop.stop();
      if (!opts.manual) {
        await getDb()
          .then((prisma) => instanceStopped(prisma, owner))
          .catch((err) => log.warn("sync.instance_not_removed", { owner, err }));
        log.info("sync.worker_stopped", { owner });
      }
    },
  };
}
