// Launching a batch, for every provider: check the file against the connection's profile, write the
// row (idempotent: rows.ts), build the provider's input from the stored Request rows (input-file.ts,
// framed and encoded by the adapter), stage it where the provider takes a file, create the provider
// batch once, and record it. A part of a job (a file split over the provider's limits, see split.ts
// and jobs.ts) launches the same way, with its line range.
//
// A create that got no clear answer may still have made a batch. Where batches carry our id
// (capabilities.recoverByMetadata) it is looked for before each new attempt, and a launch that dies
// is adopted by the worker; elsewhere (Anthropic) it is never sent twice: the row is closed as
// failed with the reason (unknownOutcome), and the file stays for the user to launch again knowingly.
import "server-only";
import fs from "node:fs";
import path from "node:path";
import { db } from "@/lib/db/client";
import { env } from "@/lib/env";
import { NotFoundError, RetryLaterError, UserError } from "@/lib/errors";
import { log } from "@/lib/log";
import { BATCH_ID_METADATA_KEY, type ProviderAdapter, type ProviderFailure, type RemoteBatch, type Submission } from "@/lib/providers/adapter";
import { loadConnection, type Connection } from "@/lib/providers/adapters";
import { batchMetadataFor, mb } from "@/lib/providers/checks";
import type { LaunchBatchInput } from "@/lib/batches/schemas";
import { partProviderName, type PlannedPart } from "@/lib/batches/split";
import { checkLaunchBudget } from "@/lib/budgets/budgets";
import { checkAgainstProfile, checkBuiltSize, checkUnfinished, dryRunFor } from "./checks";
import { writeInput } from "./input-file";
import { checkModels } from "@/lib/providers/models";
import type { ActorContext, LaunchOutcome } from "./lease";
import { logLaunchCreated, logLaunchEnded, logLaunchStarted } from "./log-events";
import { noticeBatchClosed } from "./notices";
import { closeFailed, createLaunchRow, forgetLaunch, recordLaunch, scopedKey, unknownOutcome } from "./rows";

/** A part of a job: which job, and the part's lines as planned (split.ts). */
export interface LaunchPart extends PlannedPart {
  jobId: string;
  /** How many parts the job has, for the name the provider sees ("… (part 2 of 5)"). */
  of: number;
  /** Estimated input tokens per model, counted against the connection's enqueued-token limit (queue.ts). */
  tokens?: Record<string, number> | null;
}

export interface LaunchOptions {
  /** A single launch's estimated input tokens per model (queue.ts), kept on its row. */
  enqueuedTokens?: Record<string, number> | null;
}

/** A create that may have reached a provider that cannot be asked about it afterwards. */
class OutcomeUnknown extends Error {
  constructor(
    readonly failure: ProviderFailure,
    cause: unknown,
  ) {
    super(failure.message, { cause });
  }
}

export async function launchBatch(input: LaunchBatchInput, ctx: ActorContext, part?: LaunchPart, opts: LaunchOptions = {}): Promise<LaunchOutcome> {
  const prisma = await db();
  if (part && input.dryRun) throw new UserError("A dry run tests the file's first requests; it is not split into parts.", { dryRun: "No dry run of a split file." });
  const key = scopedKey(ctx.team.id, input.idempotencyKey);
  const existing = await prisma.batch.findUnique({ where: { idempotencyKey: key }, select: { id: true } });
  if (existing) return { batchId: existing.id, created: false };

  const file = await prisma.inputFile.findFirst({ where: { id: input.inputFileId, teamId: ctx.team.id } });
  if (!file) throw new NotFoundError("That file");
  // The one read of the connection: its profile with the team's own limits, and its adapter.
  const conn = await loadConnection(prisma, ctx.team.id, input.connectionId, { maxRetries: 0 });
  const { profile, adapter } = conn;
  if (part && part.of > 1 && !profile.capabilities.split) {
    throw new UserError(`${profile.label} batches take up to ${profile.limits.maxRequests.toLocaleString("en-US")} requests and ${mb(profile.limits.maxFileBytes)}: Batchboard does not split files for them.`);
  }
  const dry = input.dryRun ? dryRunFor(profile, file, conn.name) : undefined;
  // A dry run goes to the test endpoint; the file (and the form) keep their own.
  const endpoint = dry?.endpoint ?? input.endpoint;
  checkAgainstProfile(file, input, profile, conn.name, dry, part);
  await checkUnfinished(prisma, conn, file.models, dry);
  await checkModels(conn, dry ? [dry.model] : file.models);
  const recover = profile.capabilities.recoverByMetadata;
  // A part's provider-side name says which part it is; our row keeps the job's name.
  const sentName = part ? partProviderName(input.name, part.part, part.of, profile.metadata.nameMax) : input.name;
  const metadata = profile.metadata.maxPairs > 0 ? batchMetadataFor(profile, { ...input, name: sentName }, {}).metadata : {};
  const requests = dry ? Math.min(file.requestCount, dry.maxRequests) : part ? part.requests : file.requestCount;
  // A budget an admin chose to enforce: refused here, before a row or a provider call (lib/budgets).
  await checkLaunchBudget(prisma, ctx.team.id, { fileId: file.id, connectionId: conn.id, connectionKind: conn.kind, window: input.completionWindow, requests, dryRun: Boolean(dry) });

  const row = await createLaunchRow(prisma, {
    teamId: ctx.team.id,
    connectionId: conn.id,
    inputFileId: file.id,
    name: input.name,
    description: input.description,
    endpoint,
    completionWindow: input.completionWindow,
    ...(input.metadata && Object.keys(input.metadata).length ? { metadata: input.metadata } : {}),
    idempotencyKey: key,
    dryRun: Boolean(dry),
    total: requests,
    ...(part ? { jobId: part.jobId, jobPart: part.part, fromLine: part.fromLine, toLine: part.toLine } : {}),
    ...((part?.tokens ?? opts.enqueuedTokens) ? { enqueuedTokens: (part?.tokens ?? opts.enqueuedTokens)! } : {}),
    createdById: ctx.user.id,
  });
  if ("existing" in row) return { batchId: row.existing, created: false };
  const batchId = row.id;

  const startedAt = Date.now();
  logLaunchStarted(batchId, {
    teamId: ctx.team.id,
    connectionId: conn.id,
    provider: conn.kind,
    requests,
    ...(dry ? { dryRun: true } : {}),
    ...(part ? { jobId: part.jobId, part: part.part } : {}),
  });
  const tmpDir = path.join(env().DATA_DIR, "tmp");
  fs.mkdirSync(tmpDir, { recursive: true });
  // The name ends as the adapter frames it (".jsonl": some providers, Moonshot, check the uploaded file's extension).
  const tmp = path.join(tmpDir, `batchboard-${batchId}${adapter.frame.suffix}`);
  let staged: string | undefined;
  let remote: RemoteBatch | undefined;
  try {
    const written = await writeInput(prisma, { fileId: file.id, endpoint, dest: tmp, profile, adapter, dry, range: part });
    checkBuiltSize(profile, written.bytes, dry);
    const total = dry || part ? written.lines : file.requestCount;
    if (dry) await prisma.batch.update({ where: { id: batchId }, data: { total } });
    // The name the provider sees is ours, whatever the file was called here.
    const rule = profile.limits.fileName;
    if (rule && !rule.pattern.test(path.basename(tmp))) throw new Error(`provider file name breaks ${profile.label}'s rule: ${rule.rule}`);

    if (profile.capabilities.input === "file") {
      staged = await inWords(conn, "the file", () => withRetries(batchId, adapter, () => adapter.stageInput(tmp)));
      await prisma.batch.update({ where: { id: batchId }, data: { providerInputFileId: staged } });
    }
    const submission: Submission = {
      bodyFile: tmp,
      inputFileId: staged,
      endpoint,
      completionWindow: input.completionWindow,
      metadata: recover ? { ...metadata, [BATCH_ID_METADATA_KEY]: batchId } : metadata,
    };
    remote = await inWords(conn, "the batch", () => createOnce(conn, batchId, submission));

    await recordLaunch(prisma, ctx, batchId, remote, {
      total,
      pollMs: Math.max(env().SYNC_MIN_INTERVAL_MS, conn.pollFloorMs),
      audit: {
        name: input.name,
        connection: conn.name,
        file: file.name,
        ...(dry ? { dryRun: true } : {}),
        ...(part ? { jobId: part.jobId, part: part.part, lines: `${part.fromLine}-${part.toLine}` } : {}),
      },
    });
    logLaunchCreated(batchId, { providerBatchId: remote.id, status: remote.fields.status, startedAt });
    return { batchId, created: true };
  } catch (err) {
    if (remote) {
      log.warn("launch.not_recorded", { batchId, why: "the provider has the batch; the worker adopts it", err });
      // The provider has the batch but we could not record it: keep its id and hand the row to the worker now.
      await prisma.batch
        .update({ where: { id: batchId }, data: { providerBatchId: remote.id, leaseOwner: null, leaseUntil: null, nextPollAt: new Date() } })
        .catch(() => {});
      throw err;
    }
    if (err instanceof OutcomeUnknown) {
      // The create may have reached the provider. Keep the row, closed, with the reason: the user's
      // file and requests stay, and nothing is sent a second time behind their back.
      const message = unknownOutcome(profile);
      await closeFailed(prisma, { id: batchId, total: file.requestCount }, message, { leaseOwner: null, leaseUntil: null });
      await noticeBatchClosed(prisma, batchId);
      log.error("launch.outcome_unknown", { batchId, provider: conn.kind, err: err.cause });
      throw new UserError(`${conn.name} did not answer the launch clearly (${plainly(err.failure)}). ${message}`);
    }
    // Nothing reached the provider as a batch: forget the row so the same form can launch again.
    await forgetLaunch(prisma, batchId);
    logLaunchEnded(batchId, err, startedAt);
    // The provider would keep the staged input forever (and count it against the team's storage).
    if (staged) await discardInput(adapter, staged, batchId);
    throw err;
  } finally {
    await fs.promises.rm(tmp, { force: true });
  }
}

/** Best effort: a provider that is away now keeps the file, and the log says which. */
async function discardInput(adapter: ProviderAdapter, fileId: string, batchId: string) {
  try {
    await adapter.discardInput(fileId);
    log.info("launch.input_file_deleted", { batchId, fileId });
  } catch (err) {
    log.warn("launch.input_file_not_deleted", { batchId, fileId, err });
  }
}

/** What went wrong with a call, in a few words for a person (no response bodies). */
function plainly(f: ProviderFailure): string {
  if (f.reason === "timeout") return "no answer in time";
  if (f.reason === "unreachable") return "the connection broke";
  return f.status !== undefined ? `HTTP ${f.status}` : "an unexpected error";
}

/**
 * A step's failure in words: no answer at all, a provider too busy to take it (429, or Anthropic's
 * 529), a failure on its side (5xx), or a refusal (4xx) with the provider's own words.
 */
async function inWords<T>(conn: Connection, what: "the file" | "the batch", run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (err) {
    if (err instanceof UserError || err instanceof OutcomeUnknown) throw err;
    const f = conn.adapter.classify(err);
    if (f.reason === "unreachable" || f.reason === "timeout") {
      throw new RetryLaterError(
        what === "the batch"
          ? `Could not reach ${conn.name} to create the batch. Nothing was launched; check the connection and try again.`
          : `Could not reach the provider to send ${what}. Check the connection and try again.`,
      );
    }
    if (f.status === undefined) throw err;
    const said = f.said ?? "no error message given";
    if (f.retryable && f.sent === "no") throw new RetryLaterError(`${conn.name} is busy (HTTP ${f.status}): ${said}. Nothing was launched; try again later.`);
    if (f.status >= 500) throw new RetryLaterError(`The provider failed while receiving ${what} (HTTP ${f.status}): ${said}. Try again later.`);
    throw new UserError(`The provider refused ${what} (HTTP ${f.status}): ${said}`);
  }
}

/** Waits before the next attempt, and says so: the provider's Retry-After (capped: a launch is a user waiting), or a growing pause. */
async function backOff(batchId: string, step: string, f: ProviderFailure, err: unknown, attempt: number) {
  const waitMs = f.retryAfterMs !== undefined ? Math.min(f.retryAfterMs, 10_000) : 500 * 2 ** (attempt - 1);
  log.info("launch.retrying", { batchId, step, attempt, waitMs, retryAfter: f.retryAfterMs !== undefined, err });
  await new Promise((r) => setTimeout(r, waitMs));
}

/** The SDK cannot retry a streamed upload; we can, with a fresh stream each time. */
async function withRetries<T>(batchId: string, adapter: ProviderAdapter, run: () => Promise<T>, attempts = 3): Promise<T> {
  for (let i = 1; ; i++) {
    try {
      return await run();
    } catch (err) {
      const f = adapter.classify(err);
      if (!f.retryable) throw err;
      if (i >= attempts) {
        log.warn("launch.gave_up", { batchId, step: "upload", attempts: i, err });
        throw err;
      }
      await backOff(batchId, "upload", f, err, i);
    }
  }
}

/**
 * Creates the provider batch at most once. Retried when the provider plainly did not take it (429,
 * an overload, nothing sent); an attempt that died without a clear answer (timeout, 5xx, a dropped
 * connection) may still have made the batch: where batches carry our id it is looked for before
 * trying again, and elsewhere the create is never sent twice (OutcomeUnknown).
 */
async function createOnce(conn: Connection, batchId: string, s: Submission): Promise<RemoteBatch> {
  const { adapter, profile } = conn;
  for (let attempt = 1; ; attempt++) {
    try {
      return await adapter.submit(s);
    } catch (err) {
      const f = adapter.classify(err);
      const mayExist = f.sent !== "no";
      if (!profile.capabilities.recoverByMetadata && mayExist) throw new OutcomeUnknown(f, err);
      if (!f.retryable) throw err;
      if (profile.capabilities.recoverByMetadata) {
        const found = await adapter.findByOurId(batchId).catch(() => undefined);
        if (found) return found;
      }
      if (attempt >= 3) {
        log.warn("launch.gave_up", { batchId, step: "create", attempts: attempt, err });
        throw err;
      }
      await backOff(batchId, "create", f, err, attempt);
    }
  }
}
