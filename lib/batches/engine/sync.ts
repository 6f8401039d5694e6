// Brings one Batch row up to date with its provider batch: status, counts, timestamps, file ids,
// a snapshot when something moved, the next poll time (backing off while nothing changes), and the
// results once the batch is over (and while it runs, where the provider serves them early). The sync worker (worker.ts) calls it under a lease; cancel and
// launch reuse the mapping from a provider batch object to our columns.
import "server-only";
import type OpenAI from "openai";
import { RateLimitError } from "openai";
import { describeFailure } from "@/lib/providers/failure";
import type { Batch as ProviderBatch } from "openai/resources/batches";
import type { Db } from "@/lib/db/client";
import type { Prisma } from "@/lib/generated/prisma/client";
import type { BatchStatus } from "@/lib/generated/prisma/enums";
import { decryptSecret } from "@/lib/crypto";
import { env } from "@/lib/env";
import { makeClient } from "@/lib/providers/client";
import { profiles } from "@/lib/providers/profiles";
import type { ProviderProfile } from "@/lib/providers/profile";
import { isTerminal, normaliseStatus } from "@/lib/providers/status";
import { ingestResults } from "./ingest";
import { isAnthropicConnection } from "@/lib/providers/anthropic-client";
import { syncAnthropicBatch } from "./anthropic";
import { readPartialResults, readsPartialResults } from "./partial";
import { logPoll, logSyncError } from "./log-events";
import { log } from "@/lib/log";

/** The metadata key that ties a provider batch back to our row (used to recover interrupted launches). */
export const BATCH_ID_METADATA_KEY = "batchboard_batch_id";

/** A launch that has not recorded its provider batch after this long was interrupted (crash, restart). */
export const LAUNCH_STALE_MS = 15 * 60_000;

/** Lets a long sync stop writing once another instance has taken the batch over. */
export interface LeaseGuard {
  lost(): boolean;
}

type Stamp = number | string | null | undefined;

/** Unix seconds from OpenAI-style providers; ISO 8601 strings from others (Together). */
export function toDate(v: Stamp): Date | undefined {
  if (v === null || v === undefined || v === "") return undefined;
  if (typeof v === "number") return Number.isFinite(v) && v > 0 ? new Date(v * 1000) : undefined;
  if (/^\d+(\.\d+)?$/.test(v)) return toDate(Number(v));
  const t = Date.parse(v);
  return Number.isNaN(t) ? undefined : new Date(t);
}

/**
 * Our columns from a provider batch object. Fields the provider omits stay `undefined` so that a
 * sparse answer never erases what an earlier one told us.
 */
export function providerFields(b: ProviderBatch) {
  const raw = b as ProviderBatch & Record<string, unknown>;
  const counts = b.request_counts;
  return {
    status: normaliseStatus(b.status),
    rawStatus: b.status ?? null,
    providerBatchId: b.id,
    providerInputFileId: b.input_file_id || undefined,
    outputFileId: b.output_file_id || undefined,
    errorFileId: b.error_file_id || undefined,
    errors: b.errors ? (b.errors as unknown as Prisma.InputJsonValue) : undefined,
    total: counts?.total ?? undefined,
    completed: counts?.completed ?? undefined,
    failed: counts?.failed ?? undefined,
    providerCreatedAt: toDate(raw.created_at as Stamp),
    inProgressAt: toDate(raw.in_progress_at as Stamp),
    finalizingAt: toDate(raw.finalizing_at as Stamp),
    completedAt: toDate(raw.completed_at as Stamp),
    failedAt: toDate(raw.failed_at as Stamp),
    expiredAt: toDate(raw.expired_at as Stamp),
    cancellingAt: toDate(raw.cancelling_at as Stamp),
    cancelledAt: toDate(raw.cancelled_at as Stamp),
    expiresAt: toDate(raw.expires_at as Stamp),
  } satisfies Prisma.BatchUpdateInput;
}

/** Together reports a percentage (0..100) instead of request counts. */
export function progressPercentOf(b: ProviderBatch): number | undefined {
  const p = (b as ProviderBatch & { progress?: unknown }).progress;
  return !b.request_counts && typeof p === "number" && Number.isFinite(p) ? Math.max(0, Math.min(100, p)) : undefined;
}

type Progress = { status: BatchStatus; total: number; completed: number; failed: number };

function progressAfter(before: Progress, f: ReturnType<typeof providerFields>, percent?: number): Progress {
  const total = f.total ?? before.total;
  // A percentage (Together) becomes a count of the requests done; it never goes back.
  const fromPercent = percent !== undefined ? Math.max(before.completed, Math.floor((total * percent) / 100)) : undefined;
  return {
    status: f.status,
    total,
    completed: f.completed ?? fromPercent ?? before.completed,
    failed: f.failed ?? before.failed,
  };
}

function sameProgress(a: Progress, b: Progress) {
  return a.status === b.status && a.total === b.total && a.completed === b.completed && a.failed === b.failed;
}

/**
 * The provider client of a batch's connection, read through the given database handle (the worker
 * may run on a handle of its own). Sync calls do not retry inside the SDK: the worker reschedules
 * instead of holding a lease through the SDK's sleeps.
 */
export async function clientForBatch(prisma: Db, connectionId: string, opts: { maxRetries?: number; timeoutMs?: number } = {}) {
  const c = await prisma.providerConnection.findUniqueOrThrow({
    where: { id: connectionId },
    select: { kind: true, baseUrl: true, encryptedKey: true },
  });
  return makeClient(c.kind, c.baseUrl, decryptSecret(c.encryptedKey), { maxRetries: opts.maxRetries ?? 0, timeoutMs: opts.timeoutMs ?? 60_000 });
}

async function profileOfConnection(prisma: Db, connectionId: string): Promise<ProviderProfile | undefined> {
  const c = await prisma.providerConnection.findUnique({ where: { id: connectionId }, select: { kind: true } });
  return c ? profiles[c.kind] : undefined;
}

/** How long a 429 asked us to wait, from `retry-after-ms` or `retry-after` (seconds or an HTTP date). */
export function retryAfterMs(err: unknown): number | undefined {
  if (!(err instanceof RateLimitError)) return undefined;
  const h = err.headers;
  const ms = Number(h?.get("retry-after-ms"));
  if (Number.isFinite(ms) && ms > 0) return ms;
  const v = h?.get("retry-after");
  if (!v) return undefined;
  const s = Number(v);
  if (Number.isFinite(s)) return Math.max(0, s * 1000);
  const at = Date.parse(v);
  return Number.isNaN(at) ? undefined : Math.max(0, at - Date.now());
}

/** A short description of a failure for lastSyncError: never a key, a raw body or a stack. */
export function describeError(err: unknown): string {
  return describeFailure(err);
}

/**
 * Finds the provider batch a launch created, by the metadata it carries, among the latest ones.
 * Providers that list as a plain array (Together) are read with one raw GET: the SDK's cursor page
 * would see an empty list there.
 */
export async function findProviderBatch(
  client: OpenAI,
  batchId: string,
  opts: { scan?: number; profile?: ProviderProfile } = {},
): Promise<ProviderBatch | undefined> {
  const scan = opts.scan ?? 200;
  const list = opts.profile?.capabilities.listBatches;
  const mine = (b: ProviderBatch) => b.metadata?.[BATCH_ID_METADATA_KEY] === batchId;
  if (list?.shape === "array") {
    const body: unknown = await client.get("/batches");
    const items = (Array.isArray(body) ? body : ((body as { data?: unknown[] })?.data ?? [])) as ProviderBatch[];
    return items.slice(0, scan).find(mine);
  }
  let seen = 0;
  // Providers whose list takes no parameters (Groq) are asked without any.
  const query = list && !list.filters.includes("limit") ? {} : { limit: Math.min(100, list?.maxLimit ?? 100) };
  for await (const b of client.batches.list(query)) {
    if (mine(b)) return b;
    if (++seen >= scan) break;
  }
  return undefined;
}

export interface SyncOutcome {
  status: BatchStatus;
  changed: boolean;
  ingested: boolean;
  /** Result lines read while the batch runs (providers with partial results). */
  partialLines?: number;
  error?: string;
}

/** Syncs one batch. Never throws for provider trouble: it records lastSyncError and reschedules. */
export async function syncBatch(prisma: Db, batchId: string, opts: { lease?: LeaseGuard; client?: OpenAI } = {}): Promise<SyncOutcome> {
  const { SYNC_MIN_INTERVAL_MS: min, SYNC_MAX_INTERVAL_MS: max } = env();
  const batch = await prisma.batch.findUniqueOrThrow({ where: { id: batchId } });
  // Anthropic Message Batches have another shape: an adapter of their own.
  if (!opts.client && (await isAnthropicConnection(prisma, batch.connectionId))) return syncAnthropicBatch(prisma, batch, opts);
  const now = () => new Date();
  const backoff = Math.min(max, Math.max(min, batch.pollIntervalMs * 2));

  try {
    const client = opts.client ?? (await clientForBatch(prisma, batch.connectionId));
    const profile = await profileOfConnection(prisma, batch.connectionId);

    let remote: ProviderBatch | undefined;
    if (!batch.providerBatchId) {
      // Only an interrupted launch leaves a row without its provider batch (launch holds the lease
      // while it works): adopt the provider batch if the create got through, or close the row.
      remote = await findProviderBatch(client, batch.id, { profile });
      if (!remote) {
        if (Date.now() - batch.createdAt.getTime() < LAUNCH_STALE_MS) {
          await prisma.batch.update({ where: { id: batch.id }, data: { nextPollAt: new Date(batch.createdAt.getTime() + LAUNCH_STALE_MS) } });
          return { status: batch.status, changed: false, ingested: false };
        }
        const message = "The launch was interrupted before the provider accepted the batch. Launch it again.";
        await prisma.$transaction([
          prisma.batch.update({
            where: { id: batch.id },
            data: { status: "FAILED", lastSyncError: message, nextPollAt: null, resultsIngestedAt: now(), lastPolledAt: now() },
          }),
          prisma.batchSnapshot.create({ data: { batchId: batch.id, status: "FAILED", total: batch.total, completed: 0, failed: 0 } }),
        ]);
        log.warn("launch.interrupted", { batchId: batch.id, why: "no provider batch carries its id" });
        return { status: "FAILED", changed: true, ingested: false, error: message };
      }
      log.info("launch.adopted", { batchId: batch.id, providerBatchId: remote.id });
    } else {
      remote = await client.batches.retrieve(batch.providerBatchId);
    }
    if (opts.lease?.lost()) return { status: batch.status, changed: false, ingested: false };

    const fields = providerFields(remote);
    const before: Progress = { status: batch.status, total: batch.total, completed: batch.completed, failed: batch.failed };
    const after = progressAfter(before, fields, progressPercentOf(remote));
    const changed = !sameProgress(before, after);
    const interval = changed ? min : backoff;
    const terminal = isTerminal(after.status);
    // Offsets count lines of one file: a provider that names a new file starts them again.
    const outputFileId = fields.outputFileId ?? batch.outputFileId;
    const errorFileId = fields.errorFileId ?? batch.errorFileId;
    const outputLinesRead = outputFileId === batch.outputFileId ? batch.outputLinesRead : 0;
    const errorLinesRead = errorFileId === batch.errorFileId ? batch.errorLinesRead : 0;

    await prisma.$transaction([
      prisma.batch.update({
        where: { id: batch.id },
        data: {
          ...fields,
          completed: after.completed,
          ...(outputLinesRead !== batch.outputLinesRead ? { outputLinesRead } : {}),
          ...(errorLinesRead !== batch.errorLinesRead ? { errorLinesRead } : {}),
          lastPolledAt: now(),
          lastSyncError: null,
          pollIntervalMs: interval,
          nextPollAt: new Date(Date.now() + interval),
        },
      }),
      ...(changed ? [prisma.batchSnapshot.create({ data: { batchId: batch.id, rawStatus: fields.rawStatus, ...after } })] : []),
    ]);
    logPoll(batch.id, before, after, interval);

    if (!terminal && readsPartialResults(profile, after.status) && (outputFileId || errorFileId)) {
      // Still running, and the provider serves what is done so far: store the new lines now.
      const partial = await readPartialResults(
        prisma,
        { id: batch.id, outputFileId, errorFileId, outputLinesRead, errorLinesRead, completed: after.completed, failed: after.failed },
        client,
        { lease: opts.lease },
      );
      return { status: after.status, changed, ingested: false, partialLines: partial.lines };
    }

    if (!terminal || batch.resultsIngestedAt) {
      if (terminal) await prisma.batch.update({ where: { id: batch.id }, data: { nextPollAt: null } });
      return { status: after.status, changed, ingested: false };
    }

    // Over: read what it produced, from where the partial reads stopped (ingest reads both files
    // again whole if the rows then fall short of the total). A failure here keeps the poll
    // schedule, so ingest is retried.
    const ingest = await ingestResults(prisma, { id: batch.id, outputFileId, errorFileId }, client, {
      lease: opts.lease,
      resume: { output: outputLinesRead, error: errorLinesRead, expected: after.total },
    });
    if (!ingest.done) return { status: after.status, changed, ingested: false };
    await prisma.batch.update({ where: { id: batch.id }, data: { nextPollAt: null } });
    return { status: after.status, changed, ingested: true };
  } catch (err) {
    const wait = retryAfterMs(err);
    const delay = wait !== undefined ? Math.max(wait, min) : backoff;
    const message = describeError(err);
    if (opts.lease?.lost()) return { status: batch.status, changed: false, ingested: false, error: message };
    logSyncError(batch.id, err, { retryAfterMs: wait, nextPollMs: delay });
    await prisma.batch.update({
      where: { id: batch.id },
      data: {
        lastSyncError: message,
        lastPolledAt: now(),
        pollIntervalMs: wait !== undefined ? batch.pollIntervalMs : backoff,
        nextPollAt: new Date(Date.now() + delay),
      },
    });
    return { status: batch.status, changed: false, ingested: false, error: message };
  }
}
