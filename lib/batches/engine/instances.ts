// The processes running the sync worker, for `npm run admin -- instances`: each worker writes its
// row when it starts and touches it every HEARTBEAT_MS while it runs, and deletes it when it stops;
// a crashed one stops being touched and is shown as gone once its row is older than STALE_MS. The
// batches an instance holds are those whose lease names it (Batch.leaseOwner, lease still running);
// a launch's lease ("launch:<uuid>") belongs to the request that launches, on whichever instance.
import "server-only";
import os from "node:os";
import type { Db } from "@/lib/db/client";

export const HEARTBEAT_MS = 15_000;
/** Not seen for this long: stopped without saying so (a crash, a kill -9). */
export const STALE_MS = 4 * HEARTBEAT_MS;

/** Records that the worker `owner` (this process) runs now. */
export async function instanceSeen(prisma: Db, owner: string) {
  await prisma.instance.upsert({
    where: { id: owner },
    create: { id: owner, host: os.hostname(), pid: process.pid },
    update: { seenAt: new Date() },
  });
}

export async function instanceStopped(prisma: Db, owner: string) {
  await prisma.instance.deleteMany({ where: { id: owner } });
}

export interface InstanceView {
  id: string;
  host: string;
  pid: number;
  startedAt: Date;
  seenAt: Date;
  /** Seen within STALE_MS. */
  running: boolean;
  batches: { id: string; name: string; status: string; team: string; leaseUntil: Date }[];
}

export interface InstancesReport {
  instances: InstanceView[];
  /** Launches in progress (their lease is the launching request's). */
  launches: { id: string; name: string; team: string; leaseUntil: Date }[];
  /** Batches held by an owner with no instance row (a worker from before instances were recorded). */
  unknownOwners: { owner: string; batches: number }[];
}

export async function listInstances(prisma: Db, now = new Date()): Promise<InstancesReport> {
  const [rows, held] = await Promise.all([
    prisma.instance.findMany({ orderBy: { startedAt: "asc" } }),
    prisma.batch.findMany({
      where: { leaseOwner: { not: null }, leaseUntil: { gt: now } },
      select: { id: true, name: true, status: true, leaseOwner: true, leaseUntil: true, team: { select: { name: true } } },
      orderBy: { leaseUntil: "asc" },
    }),
  ]);
  const byOwner = new Map<string, typeof held>();
  for (const b of held) byOwner.set(b.leaseOwner!, [...(byOwner.get(b.leaseOwner!) ?? []), b]);
  const view = (b: (typeof held)[number]) => ({ id: b.id, name: b.name, status: b.status, team: b.team.name, leaseUntil: b.leaseUntil! });
  const instances = rows.map((r) => ({ ...r, running: now.getTime() - r.seenAt.getTime() < STALE_MS, batches: (byOwner.get(r.id) ?? []).map(view) }));
  const known = new Set(rows.map((r) => r.id));
  const launches = held.filter((b) => b.leaseOwner!.startsWith("launch:")).map(({ id, name, team, leaseUntil }) => ({ id, name, team: team.name, leaseUntil: leaseUntil! }));
  const unknownOwners = [...byOwner].filter(([o]) => !known.has(o) && !o.startsWith("launch:")).map(([owner, bs]) => ({ owner, batches: bs.length }));
  return { instances, launches, unknownOwners };
}
