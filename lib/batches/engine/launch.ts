// Launching a batch: check the file against the connection's provider profile, build the provider's
// JSONL from the stored Request rows (streamed to a temp file), upload it, create the provider batch
// and record it. Idempotent per user action: the Batch row, keyed by the form's idempotency key, is
// written before anything is sent, so a double click or a retried request finds it instead of
// creating a second provider batch. A part of a job (a file split over the provider's limits, see
// split.ts and jobs.ts) launches the same way, with its line range.
import "server-only";
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { once } from "node:events";
import type OpenAI from "openai";
import { APIConnectionError, APIError } from "openai";
import { isUnreachable, providerSaid, statusOf } from "@/lib/providers/failure";
import type { BatchCreateParams } from "openai/resources/batches";
import type { FilePurpose } from "openai/resources/files";
import { db, type Db } from "@/lib/db/client";
import { Prisma } from "@/lib/generated/prisma/client";
import { audit } from "@/lib/audit";
import { env } from "@/lib/env";
import { NotFoundError, UserError } from "@/lib/errors";
import { log } from "@/lib/log";
import { logLaunchCreated, logLaunchEnded, logLaunchStarted } from "./log-events";
import { clientForConnection } from "@/lib/providers/client";
import { effectiveProfile } from "@/lib/providers/connections.limits";
import { readConnectionLimits } from "@/lib/providers/connections.limits.read";
import type { ProviderProfile } from "@/lib/providers/profile";
import { batchMetadataFor, checkFileForProfile, checkLineForProfile, checkWindow, mb, type ProfileProblem } from "@/lib/providers/checks";
import type { LaunchBatchInput } from "@/lib/batches/schemas";
import { isAnthropicConnection } from "@/lib/providers/anthropic-client";
import { launchAnthropicBatch } from "./anthropic";
import { partProviderName, providerLine, type PlannedPart } from "@/lib/batches/split";
import { BATCH_ID_METADATA_KEY, findProviderBatch, LAUNCH_STALE_MS, providerFields, retryAfterMs } from "./sync";

/** Who launches: the part of the team context launch needs (actions pass their TeamContext). */
export interface ActorContext {
  user: { id: string };
  team: { id: string };
}

export interface LaunchOutcome {
  batchId: string;
  /** false when the key had launched already (double click, retry): nothing new was sent. */
  created: boolean;
}

/** A part of a job: which job, and the part's lines as planned (split.ts). */
export interface LaunchPart extends PlannedPart {
  jobId: string;
  /** How many parts the job has, for the name the provider sees ("… (part 2 of 5)"). */
  of: number;
}

/** Input file lines fromLine..toLine, inclusive. */
export interface LineRange {
  fromLine: number;
  toLine: number;
}

const PAGE = 1000;

/** Keys are per team, so one team can neither collide with nor probe another team's keys. */
const scopedKey = (teamId: string, key: string) => `${teamId}:${key}`;

export async function launchBatch(input: LaunchBatchInput, ctx: ActorContext, part?: LaunchPart): Promise<LaunchOutcome> {
  const prisma = await db();
  if (part && input.dryRun) throw new UserError("A dry run tests the file's first requests; it is not split into parts.", { dryRun: "No dry run of a split file." });
  // Dry runs exist on the OpenAI-shaped path only: one must never become a real, billed batch elsewhere.
  if (input.dryRun && (await isAnthropicConnection(prisma, input.connectionId))) {
    throw new UserError("Anthropic offers no free dry run; launch the batch itself instead.", { dryRun: "No dry run here." });
  }
  // Anthropic Message Batches have another shape: an adapter of their own.
  if (await isAnthropicConnection(prisma, input.connectionId)) {
    if (part) throw new UserError("Anthropic batches take up to 100,000 requests and 256 MB: Batchboard does not split files for them.");
    return launchAnthropicBatch(input, ctx);
  }
  const key = scopedKey(ctx.team.id, input.idempotencyKey);

  const existing = await prisma.batch.findUnique({ where: { idempotencyKey: key }, select: { id: true } });
  if (existing) return { batchId: existing.id, created: false };

  const file = await prisma.inputFile.findFirst({ where: { id: input.inputFileId, teamId: ctx.team.id } });
  if (!file) throw new NotFoundError("That file");
  const { connection, client } = await clientForConnection(ctx.team.id, input.connectionId, { maxRetries: 0 });
  // A custom connection's own limits, when the team set them.
  const { limits } = await prisma.providerConnection.findUniqueOrThrow({ where: { id: connection.id }, select: { limits: true } });
  const profile = effectiveProfile(connection.kind, readConnectionLimits({ ...connection, limits }), { name: connection.name });
  const dry = input.dryRun ? dryRunFor(profile, file, connection.name) : undefined;
  // A dry run goes to the test endpoint; the file (and the form) keep their own.
  const endpoint = dry?.endpoint ?? input.endpoint;
  checkAgainstProfile(file, input, profile, connection.name, dry, part);
  // A part's provider-side name says which part it is; our row keeps the job's name.
  const sentName = part ? partProviderName(input.name, part.part, part.of, profile.metadata.nameMax) : input.name;
  const { metadata } = batchMetadataFor(profile, { ...input, name: sentName }, {});

  // The row comes first: the unique key makes a concurrent second call fail here, before it sends
  // anything. The launch holds the row's lease, so the worker leaves it alone unless we die.
  let batchId: string;
  try {
    const row = await prisma.batch.create({
      data: {
        teamId: ctx.team.id,
        connectionId: connection.id,
        inputFileId: file.id,
        name: input.name,
        description: input.description,
        endpoint,
        completionWindow: input.completionWindow,
        idempotencyKey: key,
        status: "LAUNCHING",
        dryRun: Boolean(dry),
        total: dry ? Math.min(file.requestCount, dry.maxRequests) : part ? part.requests : file.requestCount,
        ...(part ? { jobId: part.jobId, jobPart: part.part, fromLine: part.fromLine, toLine: part.toLine } : {}),
        createdById: ctx.user.id,
        nextPollAt: new Date(Date.now() + LAUNCH_STALE_MS),
        leaseOwner: `launch:${crypto.randomUUID()}`,
        leaseUntil: new Date(Date.now() + LAUNCH_STALE_MS),
      },
      select: { id: true },
    });
    batchId = row.id;
  } catch (err) {
    if (err instanceof Prisma.PrismaClientKnownRequestError && err.code === "P2002") {
      const winner = await prisma.batch.findUnique({ where: { idempotencyKey: key }, select: { id: true } });
      if (winner) return { batchId: winner.id, created: false };
    }
    throw err;
  }

  const startedAt = Date.now();
  logLaunchStarted(batchId, {
    teamId: ctx.team.id,
    connectionId: connection.id,
    provider: connection.kind,
    requests: dry ? Math.min(file.requestCount, dry.maxRequests) : part ? part.requests : file.requestCount,
    ...(dry ? { dryRun: true } : {}),
    ...(part ? { jobId: part.jobId, part: part.part } : {}),
  });
  const tmpDir = path.join(env().DATA_DIR, "tmp");
  fs.mkdirSync(tmpDir, { recursive: true });
  // The name ends in .jsonl: some providers (Moonshot) check the uploaded file's extension.
  const tmp = path.join(tmpDir, `batchboard-${batchId}.jsonl`);
  let sent = false;
  let uploadedFileId: string | undefined;
  try {
    const written = await writeProviderFile(prisma, file.id, endpoint, tmp, profile, dry, part);
    const maxBytes = dry?.maxFileBytes ?? profile.limits.maxFileBytes;
    if (written.bytes > maxBytes) {
      throw new UserError(`The file built for ${profile.label} is ${mb(written.bytes)}, over its ${mb(maxBytes)} limit.`);
    }
    const total = dry || part ? written.lines : file.requestCount;
    if (dry) await prisma.batch.update({ where: { id: batchId }, data: { total } });
    // The name the provider sees is ours (it ends in .jsonl), whatever the file was called here.
    const rule = profile.limits.fileName;
    if (rule && !rule.pattern.test(path.basename(tmp))) throw new Error(`provider file name breaks ${profile.label}'s rule: ${rule.rule}`);

    const uploaded = await step("the file", () =>
      withRetries(batchId, () => client.files.create({ file: fs.createReadStream(tmp), purpose: (profile.uploadPurpose ?? "batch") as FilePurpose })),
    );
    uploadedFileId = uploaded.id;
    await prisma.batch.update({ where: { id: batchId }, data: { providerInputFileId: uploaded.id } });

    const remote = await step("the batch", () =>
      createOnce(client, batchId, profile, {
        input_file_id: uploaded.id,
        endpoint: endpoint as BatchCreateParams["endpoint"],
        completion_window: input.completionWindow as BatchCreateParams["completion_window"],
        metadata: { ...metadata, [BATCH_ID_METADATA_KEY]: batchId },
      }),
    );
    if (!remote) {
      throw new UserError(`Could not reach ${connection.name} to create the batch. Nothing was launched; try again.`);
    }
    sent = true;

    const fields = providerFields(remote);
    const { SYNC_MIN_INTERVAL_MS } = env();
    await prisma.$transaction([
      prisma.batch.update({
        where: { id: batchId },
        data: {
          ...fields,
          total: fields.total || total,
          lastPolledAt: new Date(),
          pollIntervalMs: SYNC_MIN_INTERVAL_MS,
          nextPollAt: new Date(Date.now() + SYNC_MIN_INTERVAL_MS),
          leaseOwner: null,
          leaseUntil: null,
        },
      }),
      prisma.batchSnapshot.create({
        data: {
          batchId,
          status: fields.status,
          rawStatus: fields.rawStatus,
          total: fields.total || total,
          completed: fields.completed ?? 0,
          failed: fields.failed ?? 0,
        },
      }),
      audit(prisma, {
        teamId: ctx.team.id,
        actorId: ctx.user.id,
        action: "batch.launched",
        targetType: "batch",
        targetId: batchId,
        data: {
          name: input.name,
          connection: connection.name,
          file: file.name,
          requests: total,
          providerBatchId: remote.id,
          ...(dry ? { dryRun: true } : {}),
          ...(part ? { jobId: part.jobId, part: part.part, lines: `${part.fromLine}-${part.toLine}` } : {}),
        },
      }),
    ]);
    logLaunchCreated(batchId, { providerBatchId: remote.id, status: fields.status, startedAt });
    return { batchId, created: true };
  } catch (err) {
    if (sent) {
      log.warn("launch.not_recorded", { batchId, why: "the provider has the batch; the worker adopts it", err });
      // The provider has the batch but we could not record it: hand the row to the worker now,
      // which finds the provider batch by its metadata and adopts it.
      await prisma.batch
        .update({ where: { id: batchId }, data: { leaseOwner: null, leaseUntil: null, nextPollAt: new Date() } })
        .catch(() => {});
      throw err;
    }
    // Nothing reached the provider as a batch: forget the row so the same form can launch again.
    // The InputFile and its requests are untouched.
    await prisma.batch.deleteMany({ where: { id: batchId, providerBatchId: null } });
    logLaunchEnded(batchId, err, startedAt);
    // The provider would keep the uploaded input file forever (and count it against the team's storage).
    if (uploadedFileId) await deleteProviderFile(client, uploadedFileId, batchId);
    throw err;
  } finally {
    await fs.promises.rm(tmp, { force: true });
  }
}

/** Best effort: a provider that is away now keeps the file, and the log says which. */
async function deleteProviderFile(client: OpenAI, fileId: string, batchId: string) {
  try {
    await client.files.delete(fileId);
    log.info("launch.input_file_deleted", { batchId, fileId });
  } catch (err) {
    log.warn("launch.input_file_not_deleted", { batchId, fileId, err });
  }
}

type FileRow = { status: string; endpoint: string; requestCount: number; bytes: bigint; models: string[]; name: string };
type DryRun = NonNullable<ProviderProfile["capabilities"]["dryRun"]>;

/** The provider's free test run, if it offers one and the file is of the kind it takes. */
function dryRunFor(profile: ProviderProfile, file: FileRow, connectionName: string): DryRun {
  const dry = profile.capabilities.dryRun;
  if (!dry) throw new UserError(`${connectionName} (${profile.label}) offers no free dry run; launch the batch itself instead.`, { dryRun: "No dry run here." });
  if (file.endpoint !== dry.from) {
    const msg = `A dry run sends chat completions to ${profile.label}'s ${dry.model} on ${dry.endpoint}; "${file.name}" is a ${file.endpoint} file, which it cannot test. Launch it without a dry run.`;
    throw new UserError(msg, { dryRun: msg });
  }
  return dry;
}

/** Everything that can be known without reading the lines; the lines are checked while the file is built. */
function checkAgainstProfile(file: FileRow, input: LaunchBatchInput, profile: ProviderProfile, connectionName: string, dry?: DryRun, part?: PlannedPart) {
  if (file.status !== "valid") {
    throw new UserError(`The file "${file.name}" is ${file.status}, not valid: fix its problems before launching.`);
  }
  if (file.requestCount === 0) throw new UserError(`The file "${file.name}" has no requests.`);
  if (input.endpoint !== file.endpoint) {
    throw new UserError(`The file's requests are for ${file.endpoint}, not ${input.endpoint}.`, { endpoint: `The file is for ${file.endpoint}.` });
  }
  // A dry run takes the first requests only, rewritten to the test model: check what is sent.
  // A part sends its own lines: its count, its bytes, its one model where the provider wants one.
  const sent = dry
    ? { endpoint: dry.endpoint, requestCount: Math.min(file.requestCount, dry.maxRequests), models: [dry.model] }
    : part
      ? { endpoint: file.endpoint, requestCount: part.requests, bytes: part.bytes, models: part.model !== null ? [part.model] : file.models }
      : file;
  const problems = [
    ...checkFileForProfile(profile, sent),
    ...checkWindow(profile, input.completionWindow),
    ...batchMetadataFor(profile, input, { [BATCH_ID_METADATA_KEY]: "x" }).problems,
  ];
  if (problems.length) throw problemsError(problems, connectionName);
}

const MAX_LISTED = 10;

/** One UserError for all the problems found, each form field given its own message. */
function problemsError(problems: ProfileProblem[], connectionName: string) {
  const fields: Record<string, string> = {};
  for (const p of problems) if (p.field && !fields[p.field]) fields[p.field] = p.message;
  if (problems.length === 1) return new UserError(problems[0].message, fields);
  const lines = problems.filter((p) => p.line !== undefined).map((p) => p.line!);
  const head = lines.length === problems.length
    ? `${connectionName} cannot take this file: ${problems.length} lines break its limits (lines ${lines.slice(0, MAX_LISTED).join(", ")}${lines.length > MAX_LISTED ? ", …" : ""}).`
    : `${connectionName} cannot take this file (${problems.length} problems).`;
  const listed = problems.slice(0, MAX_LISTED).map((p) => p.message).join(" ");
  return new UserError(`${head} ${listed}${problems.length > MAX_LISTED ? ` …and ${problems.length - MAX_LISTED} more.` : ""}`, fields);
}

/**
 * Writes the provider's JSONL from the Request rows in line order, a page at a time, honouring the
 * write stream's backpressure: memory stays flat whatever the file size. With `take` (a dry run),
 * only the first requests that fit its line and byte limits, each body's model rewritten. With
 * `range` (a part of a job), only the lines fromLine..toLine. Returns the bytes and lines written.
 */
export async function writeProviderFile(
  prisma: Db,
  fileId: string,
  endpoint: string,
  dest: string,
  profile?: ProviderProfile,
  take?: { model: string; maxRequests: number; maxFileBytes: number },
  range?: LineRange,
): Promise<{ bytes: number; lines: number }> {
  const out = fs.createWriteStream(dest);
  let bytes = 0;
  let lines = 0;
  let full = false;
  const problems: ProfileProblem[] = [];
  let problemCount = 0;
  // Bailian wants one model and one thinking mode per batch: the first line sets both.
  let first: { line: number; thinking: string } | null = null;
  try {
    let cursor: { line: number; id: bigint } | null = null;
    for (;;) {
      const page: { id: bigint; line: number; customId: string; body: Prisma.JsonValue }[] = await prisma.request.findMany({
        where: {
          fileId,
          ...(range ? { AND: [{ line: { gte: range.fromLine } }, { line: { lte: range.toLine } }] } : {}),
          ...(cursor ? { OR: [{ line: { gt: cursor.line } }, { line: cursor.line, id: { gt: cursor.id } }] } : {}),
        },
        orderBy: [{ line: "asc" }, { id: "asc" }],
        take: PAGE,
        select: { id: true, line: true, customId: true, body: true },
      });
      for (const r of page) {
        const body = take ? { ...(r.body as Record<string, unknown>), model: take.model } : r.body;
        const text = providerLine(r.customId, endpoint, body);
        const lineBytes = Buffer.byteLength(text);
        if (take && (lines >= take.maxRequests || bytes + lineBytes > take.maxFileBytes)) {
          if (lines === 0) throw new UserError(`Line ${r.line} alone is ${mb(lineBytes)}, over the dry run's ${mb(take.maxFileBytes)} limit: nothing to test with.`);
          full = true;
          break;
        }
        bytes += lineBytes;
        lines++;
        if (profile) {
          const found = checkLineForProfile(profile, { line: r.line, customId: r.customId, bytes: lineBytes - 1 });
          if (profile.limits.oneModelPerBatch) {
            const thinking = JSON.stringify((r.body as Record<string, unknown> | null)?.enable_thinking ?? null);
            if (!first) first = { line: r.line, thinking };
            else if (thinking !== first.thinking) {
              found.push({ line: r.line, message: `Line ${r.line}: ${profile.label} wants one thinking mode per batch; enable_thinking here differs from line ${first.line}.` });
            }
          }
          problemCount += found.length;
          if (problems.length < 100) problems.push(...found);
          // Nothing is sent once a line is wrong: stop writing, keep counting.
          if (problemCount) continue;
        }
        if (!out.write(text)) await once(out, "drain");
      }
      if (full || page.length < PAGE) break;
      const last = page[page.length - 1];
      cursor = { line: last.line, id: last.id };
    }
    out.end();
    await once(out, "finish");
    if (problemCount) throw problemsError(problems, profile!.label);
    return { bytes, lines };
  } catch (err) {
    out.destroy();
    throw err;
  }
}

/** A refusal (4xx) becomes the provider's own words; no answer at all becomes a clear message. */
async function step<T>(what: string, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (err) {
    if (err instanceof UserError) throw err;
    if (isUnreachable(err)) throw new UserError(`Could not reach the provider to send ${what}. Check the connection and try again.`);
    const status = statusOf(err);
    if (status !== undefined) {
      const said = providerSaid(err) ?? "no error message given";
      if (status >= 500) throw new UserError(`The provider failed while receiving ${what} (HTTP ${status}): ${said}. Try again later.`);
      throw new UserError(`The provider refused ${what} (HTTP ${status}): ${said}`);
    }
    throw err;
  }
}

const retryable = (err: unknown) =>
  err instanceof APIConnectionError || (err instanceof APIError && (err.status === 429 || (err.status ?? 0) >= 500));

/** A 429's Retry-After when it says (capped: a launch is a user waiting), otherwise backoff. */
function waitBeforeRetry(err: unknown, attempt: number) {
  const asked = retryAfterMs(err);
  return asked !== undefined ? Math.min(asked, 10_000) : 500 * 2 ** (attempt - 1);
}

/** The SDK cannot retry a streamed upload; we can, with a fresh stream each time. */
async function withRetries<T>(batchId: string, run: () => Promise<T>, attempts = 3): Promise<T> {
  for (let i = 1; ; i++) {
    try {
      return await run();
    } catch (err) {
      if (!retryable(err)) throw err;
      if (i >= attempts) {
        log.warn("launch.gave_up", { batchId, step: "upload", attempts: i, err });
        throw err;
      }
      await backOff(batchId, "upload", err, i);
    }
  }
}

/** Waits before the next attempt, and says so. */
async function backOff(batchId: string, step: string, err: unknown, attempt: number) {
  const waitMs = waitBeforeRetry(err, attempt);
  log.info("launch.retrying", { batchId, step, attempt, waitMs, retryAfter: retryAfterMs(err) !== undefined, err });
  await new Promise((r) => setTimeout(r, waitMs));
}

/**
 * Creates the provider batch at most once. When an attempt dies without a clear answer (timeout,
 * 5xx, dropped connection) the batch may still exist: look for it by its metadata before trying
 * again. Returns undefined when the provider stayed unreachable and no batch was found.
 */
async function createOnce(client: OpenAI, batchId: string, profile: ProviderProfile, params: BatchCreateParams) {
  for (let i = 1; ; i++) {
    try {
      return await client.batches.create(params);
    } catch (err) {
      if (!retryable(err)) throw err;
      const found = await findProviderBatch(client, batchId, { profile }).catch(() => undefined);
      if (found) return found;
      if (i >= 3) {
        log.warn("launch.gave_up", { batchId, step: "create", attempts: i, err });
        if (err instanceof APIConnectionError) return undefined;
        throw err;
      }
      await backOff(batchId, "create", err, i);
    }
  }
}
