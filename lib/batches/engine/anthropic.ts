// Anthropic Message Batches: launch, sync (with ingest of the results) and cancel for connections
// whose profile has shape "anthropic". launch.ts, sync.ts and cancel.ts hand such batches here in
// their first lines; the rest of Batchboard (rows, snapshots, worker, results page) is shared.
// Batches imported from an account's history (import.ts) are synced here too, like launched ones.
//
// What differs from the OpenAI-compatible path:
// - No file upload: the stored requests are converted (lib/providers/anthropic.ts) and sent inline
//   in one create call, whose JSON body is written to a temp file first and streamed from it.
// - No metadata: the batch's name and description stay on our row. So an interrupted launch cannot
//   find its provider batch again, and is never re-created blindly (see "Interrupted launches").
// - processing_status in_progress | canceling | ended; counts succeeded / errored / canceled /
//   expired; results as one JSONL at results_url, in any order.
import "server-only";
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { once } from "node:events";
import Anthropic from "@anthropic-ai/sdk";
import type { MessageBatch } from "@anthropic-ai/sdk/resources/messages/batches";
import { db, type Db } from "@/lib/db/client";
import { Prisma, type Batch } from "@/lib/generated/prisma/client";
import type { BatchStatus } from "@/lib/generated/prisma/enums";
import { audit } from "@/lib/audit";
import { env } from "@/lib/env";
import { NotFoundError, UserError } from "@/lib/errors";
import { sql } from "@/lib/db/sql";
import { anthropicFields, customIdProblem, parseAnthropicResultLine, toAnthropicParams } from "@/lib/providers/anthropic";
import { anthropicClientFor, anthropicMessage, neverSent } from "@/lib/providers/anthropic-client";
import { isUnreachable, statusOf } from "@/lib/providers/failure";
import { effectiveProfile } from "@/lib/providers/connections.limits";
import { readConnectionLimits } from "@/lib/providers/connections.limits.read";
import type { ProviderProfile } from "@/lib/providers/profile";
import { checkFileForProfile, checkLineForProfile, checkWindow, mb, type ProfileProblem } from "@/lib/providers/checks";
import { isTerminal } from "@/lib/providers/status";
import { linesOf, storeResultLines } from "./ingest";
import type { ActorContext, LaunchOutcome } from "./launch";
import type { LaunchBatchInput } from "@/lib/batches/schemas";
import { LAUNCH_STALE_MS, describeError, type LeaseGuard, type SyncOutcome } from "./sync";
import { logLaunchCreated, logLaunchEnded, logLaunchStarted, logPoll, logSyncError } from "./log-events";
import { log } from "@/lib/log";

const PAGE = 1000;
const MAX_LISTED = 10;

/** Said on a batch whose create went out but whose answer never came back (or whose launch died). */
export const UNKNOWN_OUTCOME =
  "Batchboard sent this batch to Anthropic but never got its answer, so it cannot tell whether Anthropic created it. " +
  "Anthropic batches carry no metadata to find them by, so it was not sent again: check the Message Batches in your Anthropic console " +
  "(a batch created around this one's start time) before launching the file again. If it is there, Import history on this connection " +
  "(Providers) brings it into Batchboard with its results.";

// ---------------------------------------------------------------------------------------------
// Launch

export async function launchAnthropicBatch(input: LaunchBatchInput, ctx: ActorContext): Promise<LaunchOutcome> {
  const prisma = await db();
  // The same team-scoped key as launch.ts, so a double click finds the first launch.
  const key = `${ctx.team.id}:${input.idempotencyKey}`;
  const existing = await prisma.batch.findUnique({ where: { idempotencyKey: key }, select: { id: true } });
  if (existing) return { batchId: existing.id, created: false };

  const file = await prisma.inputFile.findFirst({ where: { id: input.inputFileId, teamId: ctx.team.id } });
  if (!file) throw new NotFoundError("That file");
  const own = await prisma.providerConnection.findFirst({ where: { id: input.connectionId, teamId: ctx.team.id }, select: { id: true } });
  if (!own) throw new NotFoundError("That connection");
  const { connection, client } = await anthropicClientFor(prisma, own.id, { maxRetries: 0, timeoutMs: 10 * 60_000 });
  // A custom connection's own limits, when the team set them (as launch.ts does).
  const { limits } = await prisma.providerConnection.findUniqueOrThrow({ where: { id: connection.id }, select: { limits: true } });
  const profile = effectiveProfile(connection.kind, readConnectionLimits({ ...connection, limits }), { name: connection.name });

  if (file.status !== "valid") throw new UserError(`The file "${file.name}" is ${file.status}, not valid: fix its problems before launching.`);
  if (file.requestCount === 0) throw new UserError(`The file "${file.name}" has no requests.`);
  if (input.endpoint !== file.endpoint) {
    throw new UserError(`The file's requests are for ${file.endpoint}, not ${input.endpoint}.`, { endpoint: `The file is for ${file.endpoint}.` });
  }
  if (input.metadata && Object.keys(input.metadata).length) {
    const msg = `${profile.label} batches carry no metadata; the name and description are kept in Batchboard only.`;
    throw new UserError(msg, { metadata: msg });
  }
  const problems = [...checkFileForProfile(profile, file), ...checkWindow(profile, input.completionWindow)];
  if (problems.length) throw problemsError(problems, connection.name);

  const row = await createRow(prisma, input, ctx, { connectionId: connection.id, fileId: file.id, total: file.requestCount, key });
  if ("existing" in row) return { batchId: row.existing, created: false };
  const batchId = row.id;
  const startedAt = Date.now();
  logLaunchStarted(batchId, { teamId: ctx.team.id, connectionId: connection.id, provider: connection.kind, requests: file.requestCount });

  const tmpDir = path.join(env().DATA_DIR, "tmp");
  fs.mkdirSync(tmpDir, { recursive: true });
  const tmp = path.join(tmpDir, `batchboard-${batchId}.anthropic.json`);
  // Set once the create went out and no clear answer came back, or once Anthropic created the batch.
  const sent: { unknown: boolean; remote?: MessageBatch } = { unknown: false };
  try {
    const bytes = await writeCreateBody(prisma, file.id, tmp, profile);
    if (bytes > profile.limits.maxFileBytes) {
      throw new UserError(`The requests built for ${profile.label} are ${mb(bytes)}, over its ${mb(profile.limits.maxFileBytes)} limit per batch.`);
    }
    const remote = (sent.remote = await createOnce(client, tmp, () => (sent.unknown = true)));
    await recordLaunch(prisma, ctx, batchId, remote, { connection: connection.name, file: file.name, requests: file.requestCount, name: input.name });
    logLaunchCreated(batchId, { providerBatchId: remote.id, status: remote.processing_status, startedAt });
    return { batchId, created: true };
  } catch (err) {
    if (sent.remote) {
      log.warn("launch.not_recorded", { batchId, why: "the provider has the batch; the worker adopts it", err });
      // Anthropic has the batch but we could not record it: keep its id and hand the row to the worker.
      await prisma.batch
        .update({ where: { id: batchId }, data: { providerBatchId: sent.remote.id, leaseOwner: null, leaseUntil: null, nextPollAt: new Date() } })
        .catch(() => {});
      throw err;
    }
    if (sent.unknown) {
      // The create may have reached Anthropic. Keep the row, closed, with the reason: the user's
      // file and requests stay, and nothing is sent a second time behind their back.
      await prisma.$transaction([
        prisma.batch.update({
          where: { id: batchId },
          data: { status: "FAILED", lastSyncError: UNKNOWN_OUTCOME, failedAt: new Date(), nextPollAt: null, leaseOwner: null, leaseUntil: null, resultsIngestedAt: new Date() },
        }),
        prisma.batchSnapshot.create({ data: { batchId, status: "FAILED", total: file.requestCount, completed: 0, failed: 0 } }),
      ]);
      log.error("launch.outcome_unknown", { batchId, provider: "anthropic", err });
      throw new UserError(`${connection.name} did not answer the launch clearly (${plainly(err)}). ${UNKNOWN_OUTCOME}`);
    }
    // Nothing was created: forget the row so the same form can launch again.
    await prisma.batch.deleteMany({ where: { id: batchId, providerBatchId: null } });
    const told = toUserError(err, connection.name);
    logLaunchEnded(batchId, told, startedAt);
    throw told;
  } finally {
    await fs.promises.rm(tmp, { force: true });
  }
}

async function createRow(
  prisma: Db,
  input: LaunchBatchInput,
  ctx: ActorContext,
  o: { connectionId: string; fileId: string; total: number; key: string },
): Promise<{ id: string } | { existing: string }> {
  try {
    return await prisma.batch.create({
      data: {
        teamId: ctx.team.id,
        connectionId: o.connectionId,
        inputFileId: o.fileId,
        name: input.name,
        description: input.description,
        endpoint: input.endpoint,
        completionWindow: input.completionWindow,
        idempotencyKey: o.key,
        status: "LAUNCHING",
        total: o.total,
        createdById: ctx.user.id,
        nextPollAt: new Date(Date.now() + LAUNCH_STALE_MS),
        leaseOwner: `launch:${crypto.randomUUID()}`,
        leaseUntil: new Date(Date.now() + LAUNCH_STALE_MS),
      },
      select: { id: true },
    });
  } catch (err) {
    if (err instanceof Prisma.PrismaClientKnownRequestError && err.code === "P2002") {
      const winner = await prisma.batch.findUnique({ where: { idempotencyKey: o.key }, select: { id: true } });
      if (winner) return { existing: winner.id };
    }
    throw err;
  }
}

function problemsError(problems: ProfileProblem[], label: string) {
  const fields: Record<string, string> = {};
  for (const p of problems) if (p.field && !fields[p.field]) fields[p.field] = p.message;
  if (problems.length === 1) return new UserError(problems[0].message, fields);
  const lines = problems.filter((p) => p.line !== undefined).map((p) => p.line!);
  const head =
    lines.length === problems.length
      ? `${label} cannot take this file: ${problems.length} lines cannot be sent (lines ${lines.slice(0, MAX_LISTED).join(", ")}${lines.length > MAX_LISTED ? ", …" : ""}).`
      : `${label} cannot take this file (${problems.length} problems).`;
  const listed = problems.slice(0, MAX_LISTED).map((p) => p.message).join(" ");
  return new UserError(`${head} ${listed}${problems.length > MAX_LISTED ? ` …and ${problems.length - MAX_LISTED} more.` : ""}`, fields);
}

/**
 * Writes the create call's JSON body, {"requests":[{custom_id, params}, ...]}, from the Request rows
 * in line order, a page at a time with backpressure: memory stays flat whatever the file size.
 * Every line is converted and checked first; one that cannot be is a problem with its line number,
 * and then nothing is sent. Returns the byte count.
 */
export async function writeCreateBody(prisma: Db, fileId: string, dest: string, profile: ProviderProfile): Promise<number> {
  const out = fs.createWriteStream(dest);
  const write = async (s: string) => {
    if (!out.write(s)) await once(out, "drain");
  };
  const problems: ProfileProblem[] = [];
  let problemCount = 0;
  let bytes = 0;
  let count = 0;
  try {
    await write('{"requests":[');
    bytes += 13;
    let cursor: { line: number; id: bigint } | null = null;
    for (;;) {
      const page: { id: bigint; line: number; customId: string; body: Prisma.JsonValue }[] = await prisma.request.findMany({
        where: { fileId, ...(cursor ? { OR: [{ line: { gt: cursor.line } }, { line: cursor.line, id: { gt: cursor.id } }] } : {}) },
        orderBy: [{ line: "asc" }, { id: "asc" }],
        take: PAGE,
        select: { id: true, line: true, customId: true, body: true },
      });
      for (const r of page) {
        const found: ProfileProblem[] = [];
        const idProblem = customIdProblem(r.customId);
        if (idProblem) found.push({ line: r.line, message: `Line ${r.line}: ${idProblem}.` });
        const converted = toAnthropicParams(r.body);
        if (converted.problems) found.push({ line: r.line, message: `Line ${r.line}: ${converted.problems.join("; ")}.` });
        const text = converted.params ? JSON.stringify({ custom_id: r.customId, params: converted.params }) : "";
        if (converted.params) found.push(...checkLineForProfile(profile, { line: r.line, customId: r.customId, bytes: Buffer.byteLength(text) }).filter((p) => !idProblem || !/custom_id/.test(p.message)));
        problemCount += found.length;
        if (problems.length < 100) problems.push(...found);
        // Nothing is sent once a line is wrong: stop writing, keep checking.
        if (problemCount) continue;
        const piece = (count++ ? "," : "") + text;
        bytes += Buffer.byteLength(piece);
        await write(piece);
      }
      if (page.length < PAGE) break;
      const last = page[page.length - 1];
      cursor = { line: last.line, id: last.id };
    }
    await write("]}");
    bytes += 2;
    out.end();
    await once(out, "finish");
    if (problemCount) throw problemsError(problems, profile.label);
    return bytes;
  } catch (err) {
    out.destroy();
    throw err;
  }
}

/** How long a 429 (or 529) asked us to wait, from retry-after (seconds) or retry-after-ms. */
export function anthropicRetryAfterMs(err: unknown): number | undefined {
  if (!(err instanceof Anthropic.APIError) || (err.status !== 429 && err.status !== 529)) return undefined;
  const ms = Number(err.headers?.get("retry-after-ms"));
  if (Number.isFinite(ms) && ms > 0) return ms;
  const v = err.headers?.get("retry-after");
  if (!v) return undefined;
  const s = Number(v);
  if (Number.isFinite(s)) return Math.max(0, s * 1000);
  const at = Date.parse(v);
  return Number.isNaN(at) ? undefined : Math.max(0, at - Date.now());
}

/**
 * Sends the create, streamed from the body file. Retried only when Anthropic said plainly that it
 * did not take it (429 rate limit, 529 overloaded) or when nothing left this machine (refused, DNS).
 * Anything else after the body went out (timeout, reset, 5xx) calls `ambiguous` and is thrown: a
 * second create could double the batch and its bill.
 */
async function createOnce(client: Anthropic, bodyFile: string, ambiguous: () => void): Promise<MessageBatch> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await client.post<MessageBatch>("/v1/messages/batches", {
        body: fs.createReadStream(bodyFile),
        headers: { "content-type": "application/json" },
        maxRetries: 0,
      });
    } catch (err) {
      const definite =
        (err instanceof Anthropic.APIError && typeof err.status === "number" && err.status < 500 && err.status !== 408) ||
        (err instanceof Anthropic.APIError && err.status === 529) ||
        (err instanceof Anthropic.APIConnectionError && !(err instanceof Anthropic.APIConnectionTimeoutError) && neverSent(err));
      if (!definite) {
        ambiguous();
        throw err;
      }
      const again = err instanceof Anthropic.APIError && (err.status === 429 || err.status === 529);
      if (!again || attempt >= 3) throw err;
      const asked = anthropicRetryAfterMs(err);
      await new Promise((r) => setTimeout(r, asked !== undefined ? Math.min(asked, 10_000) : 500 * 2 ** (attempt - 1)));
    }
  }
}

/** What went wrong with a call, in a few words for a person (no response bodies). */
function plainly(err: unknown): string {
  if (err instanceof Anthropic.APIConnectionTimeoutError) return "no answer in time";
  if (isUnreachable(err)) return "the connection broke";
  const status = statusOf(err);
  return status !== undefined ? `HTTP ${status}` : "an unexpected error";
}

function toUserError(err: unknown, connectionName: string): unknown {
  if (err instanceof UserError) return err;
  if (isUnreachable(err)) {
    return new UserError(`Could not reach ${connectionName} to create the batch. Nothing was launched; check the connection and try again.`);
  }
  if (err instanceof Anthropic.APIError) {
    if (err.status === 429 || err.status === 529) {
      return new UserError(`${connectionName} is busy (HTTP ${err.status}): ${anthropicMessage(err)}. Nothing was launched; try again later.`);
    }
    return new UserError(`Anthropic refused the batch (HTTP ${err.status}): ${anthropicMessage(err)}`);
  }
  return err;
}

async function recordLaunch(
  prisma: Db,
  ctx: ActorContext,
  batchId: string,
  remote: MessageBatch,
  about: { connection: string; file: string; requests: number; name: string },
) {
  const fields = anthropicFields(remote);
  const total = fields.total || about.requests;
  const { SYNC_MIN_INTERVAL_MS } = env();
  await prisma.$transaction([
    prisma.batch.update({
      where: { id: batchId },
      data: {
        ...fields,
        total,
        lastPolledAt: new Date(),
        pollIntervalMs: SYNC_MIN_INTERVAL_MS,
        nextPollAt: new Date(Date.now() + SYNC_MIN_INTERVAL_MS),
        leaseOwner: null,
        leaseUntil: null,
      },
    }),
    prisma.batchSnapshot.create({
      data: { batchId, status: fields.status, rawStatus: fields.rawStatus, total, completed: fields.completed ?? 0, failed: fields.failed ?? 0 },
    }),
    audit(prisma, {
      teamId: ctx.team.id,
      actorId: ctx.user.id,
      action: "batch.launched",
      targetType: "batch",
      targetId: batchId,
      data: { name: about.name, connection: about.connection, file: about.file, requests: about.requests, providerBatchId: remote.id },
    }),
  ]);
}

// ---------------------------------------------------------------------------------------------
// Sync

type Progress = { status: BatchStatus; total: number; completed: number; failed: number };

/** Syncs one Anthropic batch like syncBatch does the others. Never throws for provider trouble. */
export async function syncAnthropicBatch(prisma: Db, batch: Batch, opts: { lease?: LeaseGuard } = {}): Promise<SyncOutcome> {
  const { SYNC_MIN_INTERVAL_MS: min, SYNC_MAX_INTERVAL_MS: max } = env();
  const now = () => new Date();
  const backoff = Math.min(max, Math.max(min, batch.pollIntervalMs * 2));
  try {
    if (!batch.providerBatchId) return await interruptedLaunch(prisma, batch);
    const { client } = await anthropicClientFor(prisma, batch.connectionId, { maxRetries: 0, timeoutMs: 60_000 });
    const remote = await client.messages.batches.retrieve(batch.providerBatchId);
    if (opts.lease?.lost()) return { status: batch.status, changed: false, ingested: false };

    const fields = anthropicFields(remote);
    const before: Progress = { status: batch.status, total: batch.total, completed: batch.completed, failed: batch.failed };
    const after: Progress = { status: fields.status, total: fields.total ?? batch.total, completed: fields.completed ?? batch.completed, failed: fields.failed ?? batch.failed };
    const changed = before.status !== after.status || before.total !== after.total || before.completed !== after.completed || before.failed !== after.failed;
    const interval = changed ? min : backoff;
    await prisma.$transaction([
      prisma.batch.update({
        where: { id: batch.id },
        data: { ...fields, lastPolledAt: now(), lastSyncError: null, pollIntervalMs: interval, nextPollAt: new Date(Date.now() + interval) },
      }),
      ...(changed ? [prisma.batchSnapshot.create({ data: { batchId: batch.id, rawStatus: fields.rawStatus, ...after } })] : []),
    ]);
    logPoll(batch.id, before, after, interval);

    const terminal = isTerminal(after.status);
    if (!terminal || batch.resultsIngestedAt) {
      if (terminal) await prisma.batch.update({ where: { id: batch.id }, data: { nextPollAt: null } });
      return { status: after.status, changed, ingested: false };
    }
    if (remote.archived_at) {
      // Anthropic keeps results for 29 days, then archives the batch: an old batch imported from
      // history has none to fetch. Say so once and stop asking, rather than failing on every poll.
      const message = archivedMessage(remote.archived_at);
      await prisma.batch.update({ where: { id: batch.id }, data: { resultsIngestedAt: new Date(), resultCount: 0, nextPollAt: null, lastSyncError: message } });
      return { status: after.status, changed, ingested: false, error: message };
    }
    const done = await ingestAnthropicResults(prisma, batch.id, client, fields.outputFileId ?? batch.outputFileId, remote.id, opts.lease);
    if (!done) return { status: after.status, changed, ingested: false };
    return { status: after.status, changed, ingested: true };
  } catch (err) {
    const wait = anthropicRetryAfterMs(err);
    const delay = wait !== undefined ? Math.max(wait, min) : backoff;
    const message = describeError(err);
    if (opts.lease?.lost()) return { status: batch.status, changed: false, ingested: false, error: message };
    logSyncError(batch.id, err, { retryAfterMs: wait, nextPollMs: delay });
    await prisma.batch.update({
      where: { id: batch.id },
      data: { lastSyncError: message, lastPolledAt: now(), pollIntervalMs: wait !== undefined ? batch.pollIntervalMs : backoff, nextPollAt: new Date(Date.now() + delay) },
    });
    return { status: batch.status, changed: false, ingested: false, error: message };
  }
}

/** Said of a batch whose results Anthropic no longer keeps (archived_at is set). */
export function archivedMessage(archivedAt: string): string {
  const at = Date.parse(archivedAt);
  const when = Number.isNaN(at) ? archivedAt : new Date(at).toISOString().slice(0, 10);
  return `Anthropic archived this batch on ${when}: its results are no longer available there (Anthropic keeps them 29 days), so none were stored.`;
}

/**
 * Interrupted launches. A row without a provider batch id is a launch that died (launch holds the
 * lease while it works, so the worker sees it only once that lease ran out). The OpenAI path finds
 * its batch again by metadata; Anthropic batches have none, and guessing by time and size could
 * adopt someone else's batch. So once the launch is surely dead, the row is closed as FAILED with
 * UNKNOWN_OUTCOME, and nothing is sent again.
 */
async function interruptedLaunch(prisma: Db, batch: Batch): Promise<SyncOutcome> {
  if (Date.now() - batch.createdAt.getTime() < LAUNCH_STALE_MS) {
    await prisma.batch.update({ where: { id: batch.id }, data: { nextPollAt: new Date(batch.createdAt.getTime() + LAUNCH_STALE_MS) } });
    return { status: batch.status, changed: false, ingested: false };
  }
  const at = new Date();
  await prisma.$transaction([
    prisma.batch.update({
      where: { id: batch.id },
      data: { status: "FAILED", lastSyncError: UNKNOWN_OUTCOME, failedAt: at, nextPollAt: null, resultsIngestedAt: at, lastPolledAt: at },
    }),
    prisma.batchSnapshot.create({ data: { batchId: batch.id, status: "FAILED", total: batch.total, completed: 0, failed: 0 } }),
  ]);
  log.warn("launch.interrupted", { batchId: batch.id, provider: "anthropic" });
  return { status: "FAILED", changed: true, ingested: false, error: UNKNOWN_OUTCOME };
}

/**
 * Streams results_url into Result rows (any order; matched by custom_id; ON CONFLICT DO NOTHING, so
 * a re-run stores nothing twice). The URL must be on the connection's own host: the SDK sends the
 * key with it. Returns false when the lease was lost midway.
 */
async function ingestAnthropicResults(prisma: Db, batchId: string, client: Anthropic, resultsUrl: string | null, providerBatchId: string, lease?: LeaseGuard) {
  const base = new URL(client.baseURL);
  const url = resultsUrl ?? `${client.baseURL.replace(/\/+$/, "")}/v1/messages/batches/${encodeURIComponent(providerBatchId)}/results`;
  if (new URL(url).origin !== base.origin) {
    throw new Error(`results_url is on ${new URL(url).host}, not on the connection's host ${base.host}: not sending the key there`);
  }
  const startedAt = Date.now();
  log.info("ingest.started", { batchId, provider: "anthropic" });
  const res = await client.get(url, { headers: { Accept: "application/binary" }, timeout: 10 * 60_000 }).asResponse();
  const stored = await storeResultLines(prisma, batchId, linesOf(res), { lease, parse: parseAnthropicResultLine });
  if (!stored.done || lease?.lost()) return false;
  if (stored.skippedLines) log.warn("ingest.lines_skipped", { batchId, skipped: stored.skippedLines, why: "no JSON or no custom_id" });
  const resultCount = await prisma.result.count({ where: { batchId } });
  await sql(prisma).exec(`ANALYZE "Result"`);
  await prisma.batch.update({ where: { id: batchId }, data: { resultsIngestedAt: new Date(), resultCount, nextPollAt: null } });
  log.info("ingest.finished", { batchId, provider: "anthropic", results: resultCount, skipped: stored.skippedLines, ms: Date.now() - startedAt });
  return true;
}

// ---------------------------------------------------------------------------------------------
// Cancel

export async function cancelAnthropicBatch(ctx: ActorContext, batch: Batch & { providerBatchId: string }) {
  const prisma = await db();
  const { client, connection } = await anthropicClientFor(prisma, batch.connectionId, { maxRetries: 2 });
  let remote: MessageBatch;
  try {
    remote = await client.messages.batches.cancel(batch.providerBatchId);
  } catch (err) {
    if (isUnreachable(err)) throw new UserError(`Could not reach ${connection.name} to cancel the batch. Try again.`);
    if (err instanceof Anthropic.APIError) throw new UserError(`Anthropic refused to cancel the batch: ${anthropicMessage(err)}`);
    throw err;
  }
  const fields = anthropicFields(remote);
  const status: BatchStatus = isTerminal(fields.status) || fields.status === "CANCELLING" ? fields.status : "CANCELLING";
  const after = { status, total: fields.total ?? batch.total, completed: fields.completed ?? batch.completed, failed: fields.failed ?? batch.failed };
  const { SYNC_MIN_INTERVAL_MS } = env();
  await prisma.$transaction([
    prisma.batch.update({
      where: { id: batch.id },
      data: { ...fields, status, cancellingAt: fields.cancellingAt ?? batch.cancellingAt ?? new Date(), pollIntervalMs: SYNC_MIN_INTERVAL_MS, nextPollAt: new Date() },
    }),
    prisma.batchSnapshot.create({ data: { batchId: batch.id, rawStatus: fields.rawStatus, ...after } }),
    audit(prisma, { teamId: ctx.team.id, actorId: ctx.user.id, action: "batch.cancelled", targetType: "batch", targetId: batch.id }),
  ]);
  return { batchId: batch.id, status };
}
