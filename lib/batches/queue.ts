// Queued launches: parts of a job (or a single batch) that wait for their start time or for room on
// the connection, and the one loop that launches them, run by the launch request itself and then by
// the worker on every instance.
//
// Room is what the connection's queue limits allow (lib/providers/queue-limits.ts): an unfinished
// batch limit (Bailian: 1000 tasks) and an enqueued-token limit per model (OpenAI, per usage tier),
// counted over the batches Batchboard launched on the connection that have not ended
// (Batch.enqueuedTokens holds each one's estimated input tokens per model). A part that does not
// fit keeps a reason in words ("waiting for 1.2M enqueued tokens of gpt-4o-mini to free up") and is
// looked at again QUEUE_RECHECK_MS later.
//
// Only one launcher works on a connection at a time, across instances: it holds the connection's
// queue lease (ProviderConnection.queueLeaseOwner/Until, taken by one compare-and-set UPDATE and
// renewed while it works), so two instances never both see room and both launch. A part launches
// under its own idempotency key (`${key}:part-${n}`, as jobs.ts always did): an instance that dies
// mid-launch leaves a row the next launcher finds instead of sending the part again. Parts of a job
// launch in order; a part the provider refuses stops its job there (the job page offers "Launch
// remaining parts"), one it could not reach now is tried again later.
import "server-only";
import crypto from "node:crypto";
import os from "node:os";
import type { Db } from "@/lib/db/client";
import type { Prisma } from "@/lib/generated/prisma/client";
import { audit } from "@/lib/audit";
import { RetryLaterError, toUserMessage, UserError } from "@/lib/errors";
import { log } from "@/lib/log";
import { effectiveQueueLimits, limitForModel, parseQueueLimits, shortTokens, type EffectiveQueueLimits } from "@/lib/providers/queue-limits";
import { launchBatch } from "@/lib/batches/engine/launch";
import type { ActorContext } from "@/lib/batches/engine/lease";

/** How long a waiting part waits before its room is looked at again. */
export const QUEUE_RECHECK_MS = 15_000;
/** A launcher holds a connection this long between renewals (an upload of 200 MB takes a while). */
const CONNECTION_LEASE_MS = 60_000;
const TERMINAL: Prisma.BatchWhereInput["status"] = { notIn: ["COMPLETED", "FAILED", "EXPIRED", "CANCELLED"] };
const fmt = (n: number) => n.toLocaleString("en-US");

export type Tokens = Record<string, number>;

/** A connection as the queue reads it. */
export interface QueueConnection {
  id: string;
  kind: string;
  name: string;
  queueLimits: unknown;
}

export function queueLimitsOf(c: QueueConnection): EffectiveQueueLimits {
  return effectiveQueueLimits(c.kind, parseQueueLimits(c.kind, c.queueLimits));
}

/** Whether launches on this connection are counted at all (a limit applies to them). */
export function countsLaunches(limits: EffectiveQueueLimits, models: string[]): boolean {
  return limits.maxUnfinished !== null || models.some((m) => limitForModel(limits.enqueuedTokens, m));
}

/** Only the models a limit applies to, under the limit's own name (snapshots summed under their base). */
function limitedTokens(limits: EffectiveQueueLimits, tokens: Tokens | null): Map<string, { limit: number; tokens: number }> {
  const out = new Map<string, { limit: number; tokens: number }>();
  for (const [model, n] of Object.entries(tokens ?? {})) {
    const l = limitForModel(limits.enqueuedTokens, model);
    if (!l) continue;
    const cur = out.get(l.name) ?? { limit: l.tokens, tokens: 0 };
    cur.tokens += n;
    out.set(l.name, cur);
  }
  return out;
}

/** A need no amount of waiting makes fit: one model's tokens over its whole limit. */
export function neverFits(c: QueueConnection, tokens: Tokens | null, what: string): string | null {
  for (const [model, { limit, tokens: n }] of limitedTokens(queueLimitsOf(c), tokens)) {
    if (n > limit) {
      return (
        `${what} needs about ${fmt(n)} input tokens of ${model}, over ${c.name}'s enqueued-token limit of ${fmt(limit)} for it: ` +
        "it could never start. Split the file into smaller parts (launch it as a job), or raise the limit under Providers → Queue limits if your tier allows more."
      );
    }
  }
  return null;
}

/**
 * Why a batch needing `tokens` cannot be sent on the connection now (null: it fits): the
 * connection's unfinished batches, then each limited model's enqueued tokens.
 */
export async function waitReason(prisma: Db, c: QueueConnection, tokens: Tokens | null): Promise<string | null> {
  const limits = queueLimitsOf(c);
  const need = limitedTokens(limits, tokens);
  if (limits.maxUnfinished === null && need.size === 0) return null;
  const open = await prisma.batch.findMany({ where: { connectionId: c.id, status: TERMINAL }, select: { enqueuedTokens: true } });
  if (limits.maxUnfinished !== null && open.length >= limits.maxUnfinished) {
    return `waiting for unfinished batches < ${fmt(limits.maxUnfinished)} on ${c.name} (${fmt(open.length)} unfinished now)`;
  }
  for (const [model, { limit, tokens: n }] of need) {
    let enqueued = 0;
    for (const b of open) enqueued += limitedTokens(limits, b.enqueuedTokens as Tokens | null).get(model)?.tokens ?? 0;
    if (enqueued + n > limit) {
      return `waiting for ${shortTokens(enqueued + n - limit)} enqueued tokens of ${model} to free up (${shortTokens(enqueued)} of ${shortTokens(limit)} enqueued, this needs ${shortTokens(n)})`;
    }
  }
  return null;
}

// ---------------------------------------------------------------------------------------------
// The connection's queue lease

export function launcherId(prefix = "queue") {
  return `${prefix}:${os.hostname()}:${process.pid}:${crypto.randomBytes(3).toString("hex")}`;
}

/** One compare-and-set: true when `owner` holds the connection now. */
export async function takeConnection(prisma: Db, connectionId: string, owner: string, ms = CONNECTION_LEASE_MS): Promise<boolean> {
  const now = new Date();
  const r = await prisma.providerConnection.updateMany({
    where: { id: connectionId, OR: [{ queueLeaseUntil: null }, { queueLeaseUntil: { lt: now } }, { queueLeaseOwner: owner }] },
    data: { queueLeaseOwner: owner, queueLeaseUntil: new Date(now.getTime() + ms) },
  });
  return r.count === 1;
}

export async function releaseConnection(prisma: Db, connectionId: string, owner: string) {
  await prisma.providerConnection.updateMany({ where: { id: connectionId, queueLeaseOwner: owner }, data: { queueLeaseOwner: null, queueLeaseUntil: null } });
}

/** Runs `work` holding the connection (renewed while it lasts); undefined when another launcher has it. */
export async function withConnection<T>(prisma: Db, connectionId: string, owner: string, work: () => Promise<T>): Promise<T | undefined> {
  if (!(await takeConnection(prisma, connectionId, owner))) return undefined;
  const beat = setInterval(() => {
    takeConnection(prisma, connectionId, owner).catch((err) => log.warn("queue.lease_renew_failed", { connectionId, owner, err }));
  }, CONNECTION_LEASE_MS / 3);
  try {
    return await work();
  } finally {
    clearInterval(beat);
    await releaseConnection(prisma, connectionId, owner).catch((err) => log.warn("queue.lease_release_failed", { connectionId, owner, err }));
  }
}

// ---------------------------------------------------------------------------------------------
// Launching what is due

/** What every part of a job is launched with (Job.settings; jobs.ts writes it). */
export interface JobSettings {
  connectionId: string;
  endpoint: string;
  completionWindow: string;
  description?: string;
  metadata?: Record<string, string>;
  key: string;
}

/** Job.settings as stored; null when it lacks what a launch needs. */
export function readSettings(v: Prisma.JsonValue | null): JobSettings | null {
  const s = v as Partial<JobSettings> | null;
  return s && typeof s === "object" && s.connectionId && s.endpoint && s.completionWindow && s.key ? (s as JobSettings) : null;
}

export const partKey = (key: string, n: number) => `${key}:part-${n}`;

export interface QueueRun {
  launched: number;
  /** Parts refused by the provider (or a check) in this run, with its words. */
  refused: { jobId: string; part: number; message: string }[];
}

/**
 * Launches the connection's due parts that fit, in order per job, holding the connection's lease.
 * `jobId` limits the run to one job (the launch request); the worker runs every job. Undefined when
 * another launcher holds the connection (it launches them).
 */
export async function runConnectionQueue(prisma: Db, connectionId: string, opts: { owner?: string; jobId?: string; recheckMs?: number } = {}): Promise<QueueRun | undefined> {
  const owner = opts.owner ?? launcherId();
  return withConnection(prisma, connectionId, owner, async () => {
    const run: QueueRun = { launched: 0, refused: [] };
    const conn = await prisma.providerConnection.findUnique({ where: { id: connectionId }, select: { id: true, kind: true, name: true, queueLimits: true } });
    // Jobs already looked at in this run whose head part waits: their later parts wait behind it.
    const blocked = new Set<string>();
    for (;;) {
      const now = new Date();
      const due = await prisma.queuedPart.findMany({
        // The launch request launches its job now; the worker only what is due for another look.
        where: { connectionId, state: "queued", startAt: { lte: now }, ...(opts.jobId ? { jobId: opts.jobId } : { nextCheckAt: { lte: now }, jobId: { notIn: [...blocked] } }) },
        orderBy: [{ createdAt: "asc" }, { jobId: "asc" }, { part: "asc" }],
        take: 20,
      });
      const heads = await headsOf(prisma, due, blocked);
      if (!heads.length) return run;
      for (const p of heads) {
        blocked.add(p.jobId);
        if (!conn) {
          await refuse(prisma, p, "The connection this job was launched on was deleted.", run);
          continue;
        }
        const reason = await waitReason(prisma, conn, p.tokens as Tokens | null);
        if (reason) {
          await prisma.queuedPart.updateMany({ where: { id: p.id, state: "queued" }, data: { reason, nextCheckAt: new Date(Date.now() + (opts.recheckMs ?? QUEUE_RECHECK_MS)) } });
          continue;
        }
        if (await launchPart(prisma, p, run)) blocked.delete(p.jobId);
      }
    }
  });
}

type Part = Awaited<ReturnType<Db["queuedPart"]["findMany"]>>[number];

/** The first due part of each job, when no earlier part of that job still waits or was refused. */
async function headsOf(prisma: Db, due: Part[], blocked: Set<string>): Promise<Part[]> {
  const heads: Part[] = [];
  const seen = new Set<string>();
  for (const p of due) {
    if (seen.has(p.jobId) || blocked.has(p.jobId)) continue;
    seen.add(p.jobId);
    const before = await prisma.queuedPart.count({ where: { jobId: p.jobId, part: { lt: p.part }, state: { in: ["queued", "refused"] } } });
    if (before === 0) heads.push(p);
  }
  return heads;
}

async function refuse(prisma: Db, p: Part, message: string, run: QueueRun) {
  await prisma.queuedPart.updateMany({ where: { id: p.id, state: "queued" }, data: { state: "refused", reason: message } });
  await audit(prisma, { teamId: p.teamId, actorId: p.createdById, action: "job.part_refused", targetType: "job", targetId: p.jobId, data: { part: p.part, message } });
  run.refused.push({ jobId: p.jobId, part: p.part, message });
  log.info("queue.part_refused", { jobId: p.jobId, part: p.part });
}

/** Launches one part; true when it went (or had gone before: its key finds the batch). */
async function launchPart(prisma: Db, p: Part, run: QueueRun): Promise<boolean> {
  const job = await prisma.job.findUnique({ where: { id: p.jobId }, select: { id: true, name: true, inputFileId: true, settings: true, plannedParts: true, createdById: true } });
  const settings = job && readSettings(job.settings);
  const userId = p.createdById ?? job?.createdById;
  if (!job || !settings || !userId) {
    await refuse(prisma, p, "This job's launch settings (or the member who launched it) are gone; launch the file again from the launch form.", run);
    return false;
  }
  // Cancelled while we looked: leave it.
  if ((await prisma.queuedPart.count({ where: { id: p.id, state: "queued" } })) === 0) return false;
  const ctx: ActorContext = { user: { id: userId }, team: { id: p.teamId } };
  const tokens = p.tokens as Tokens | null;
  try {
    const out = await launchBatch(
      {
        connectionId: settings.connectionId,
        inputFileId: job.inputFileId,
        endpoint: settings.endpoint,
        completionWindow: settings.completionWindow,
        name: job.name,
        description: settings.description,
        metadata: settings.metadata,
        idempotencyKey: partKey(settings.key, p.part),
      },
      ctx,
      { part: p.part, fromLine: p.fromLine, toLine: p.toLine, requests: p.requests, bytes: p.bytes, model: p.model, jobId: job.id, of: job.plannedParts, tokens },
    );
    await prisma.queuedPart.deleteMany({ where: { id: p.id } });
    run.launched++;
    log.info("queue.part_launched", { jobId: job.id, part: p.part, batchId: out.batchId, created: out.created });
    return true;
  } catch (err) {
    const message = toUserMessage(err);
    if (err instanceof RetryLaterError) {
      // The provider is away or busy now: the part keeps its place and is tried again later.
      await prisma.queuedPart.updateMany({
        where: { id: p.id, state: "queued" },
        data: { reason: `the last try did not reach the provider (${message}); trying again shortly`, nextCheckAt: new Date(Date.now() + 60_000) },
      });
      return false;
    }
    await refuse(prisma, p, message, run);
    return false;
  }
}

/** The worker's turn: every connection with due parts not held by another launcher. */
export async function runDueQueues(prisma: Db, owner: string, opts: { max?: number; recheckMs?: number } = {}): Promise<number> {
  const now = new Date();
  const rows = await prisma.queuedPart.findMany({
    where: { state: "queued", startAt: { lte: now }, nextCheckAt: { lte: now } },
    distinct: ["connectionId"],
    select: { connectionId: true },
    take: opts.max ?? 4,
  });
  let launched = 0;
  for (const { connectionId } of rows) {
    try {
      launched += (await runConnectionQueue(prisma, connectionId, { owner, recheckMs: opts.recheckMs }))?.launched ?? 0;
    } catch (err) {
      log.error("queue.run_failed", { connectionId, err });
    }
  }
  return launched;
}

// ---------------------------------------------------------------------------------------------
// Cancel

/** Cancels a part that has not launched: it never will. */
export async function cancelQueuedPart(prisma: Db, ctx: ActorContext, partId: string) {
  const p = await prisma.queuedPart.findFirst({ where: { id: partId, teamId: ctx.team.id }, select: { id: true, jobId: true, part: true, state: true } });
  if (!p) throw new UserError("That queued part was not found.");
  const r = await prisma.queuedPart.updateMany({ where: { id: p.id, state: "queued" }, data: { state: "cancelled", reason: null } });
  if (r.count === 0) throw new UserError(`Part ${p.part} is not waiting any more (it launched, or was cancelled or refused).`);
  await audit(prisma, { teamId: ctx.team.id, actorId: ctx.user.id, action: "job.part_cancelled", targetType: "job", targetId: p.jobId, data: { part: p.part } });
  return { jobId: p.jobId, part: p.part };
}

/** Cancels every part of a job still waiting; how many. */
export async function cancelQueuedParts(prisma: Db, ctx: ActorContext, jobId: string) {
  const r = await prisma.queuedPart.updateMany({ where: { jobId, teamId: ctx.team.id, state: "queued" }, data: { state: "cancelled", reason: null } });
  if (r.count) await audit(prisma, { teamId: ctx.team.id, actorId: ctx.user.id, action: "job.parts_cancelled", targetType: "job", targetId: jobId, data: { parts: r.count } });
  return r.count;
}
