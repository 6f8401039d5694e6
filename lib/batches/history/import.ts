// Import history: list the batches already on a connected provider account (every page) and bring
// chosen ones into the team's history. An imported batch gets an InputFile (origin "import") with
// the provider's input file stored as Request rows, so prompts show beside answers, and a Batch row
// due for sync now: the sync worker then ingests its results like any other batch's. Listing and
// reading are the adapter's (list, retrieve, inputOf); one path for every provider.
//
// A provider that keeps no input file (capabilities.inputNotKept: Anthropic, whose requests go inline
// and no API gives them back) gets an honest empty InputFile, and its results come without prompts.
// A provider whose batches carry no id of ours (recoverByMetadata false) knows a batch launched from
// Batchboard by its provider id only.
import "server-only";
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import type { ReadableStream as NodeReadableStream } from "node:stream/web";
import type { Db } from "@/lib/db/client";
import type { Prisma } from "@/lib/generated/prisma/client";
import type { BatchStatus, Role } from "@/lib/generated/prisma/enums";
import { audit } from "@/lib/audit";
import { atLeast } from "@/lib/auth/roles";
import { env } from "@/lib/env";
import { UserError } from "@/lib/errors";
import { importJsonlFile } from "@/lib/files/store";
import type { RemoteBatch } from "@/lib/providers/adapter";
import { loadConnection, type Connection } from "@/lib/providers/adapters";
import { profileOf, uploadLimitsFor } from "@/lib/providers/profiles";
import { LAUNCH_STALE_MS } from "@/lib/batches/engine/lease";
import { describeError } from "@/lib/batches/engine/sync";
import { checkFilters, type FilterValues } from "./import-filters";

export interface ImportContext {
  user: { id: string };
  team: { id: string };
  role: Role;
}

/** One provider batch as the import page lists it. */
export interface ProviderBatchSummary {
  id: string;
  status: BatchStatus;
  rawStatus: string | null;
  endpoint: string | null;
  total: number | null;
  completed: number | null;
  failed: number | null;
  /** Together reports a percentage instead of counts. */
  progress: number | null;
  createdAt: string | null;
  /** From the metadata key where the profile keeps a name (ds_name on Bailian). */
  name: string | null;
  inputFileId: string | null;
  /** Our batch, when this one is already in the team's history (imported, or launched from here). */
  batchId: string | null;
}

export interface ProviderBatchList {
  batches: ProviderBatchSummary[];
  pages: number;
  /** More batches than `maxBatches` exist: only the newest were listed. */
  truncated: boolean;
}

/** A stop for a provider that never says it is done. */
const MAX_BATCHES = 10_000;
/** Batches per import call: the page sends larger selections in several calls and shows progress. */
export const MAX_IMPORT_IDS = 50;

const importKey = (connectionId: string, providerBatchId: string) => `import:${connectionId}:${providerBatchId}`;

function requireMember(ctx: ImportContext) {
  if (!atLeast(ctx.role, "MEMBER")) throw new UserError("Your role in this team cannot do that (it needs member or above).");
}

/** The connection of the team, read once for the import: its SDK retries inside (no lease is held here). */
const connectionOf = (prisma: Db, teamId: string, connectionId: string) => loadConnection(prisma, teamId, connectionId, { maxRetries: 2, timeoutMs: 60_000 });

function summaryOf(b: RemoteBatch): Omit<ProviderBatchSummary, "batchId"> {
  const f = b.fields;
  return {
    id: b.id,
    status: f.status,
    rawStatus: f.rawStatus,
    endpoint: b.endpoint,
    total: f.total ?? null,
    completed: f.completed ?? null,
    failed: f.failed ?? null,
    progress: b.progressPercent ?? null,
    createdAt: f.providerCreatedAt?.toISOString() ?? null,
    name: b.name,
    inputFileId: f.providerInputFileId ?? null,
  };
}

/**
 * Our batches for these provider batches, on this connection: by provider id, or by the id a launch
 * from here put in the metadata (OpenAI-shaped providers only: Anthropic batches carry none).
 */
async function alreadyHere(prisma: Db, teamId: string, connectionId: string, remote: { id: string; ours?: string }[]) {
  const out = new Map<string, string>();
  for (let i = 0; i < remote.length; i += 1000) {
    const slice = remote.slice(i, i + 1000);
    const ours = slice.map((b) => b.ours).filter((x): x is string => typeof x === "string");
    const rows = await prisma.batch.findMany({
      where: { teamId, connectionId, OR: [{ providerBatchId: { in: slice.map((b) => b.id) } }, ...(ours.length ? [{ id: { in: ours } }] : [])] },
      select: { id: true, providerBatchId: true },
    });
    for (const r of rows) if (r.providerBatchId) out.set(r.providerBatchId, r.id);
    const byId = new Set(rows.map((r) => r.id));
    for (const b of slice) if (b.ours && byId.has(b.ours) && !out.has(b.id)) out.set(b.id, b.ours);
  }
  return out;
}

/**
 * The provider's batches on a connection of the team, newest first as the provider lists them,
 * with the filters its profile takes (any other filter is refused by name), each marked with our
 * batch when it is already in the team's history.
 */
export async function listProviderBatches(
  prisma: Db,
  ctx: ImportContext,
  connectionId: string,
  filters: FilterValues = {},
  opts: { pageSize?: number; maxBatches?: number; now?: Date } = {},
): Promise<ProviderBatchList> {
  requireMember(ctx);
  const conn = await connectionOf(prisma, ctx.team.id, connectionId);
  const { profile } = conn;
  const { query, errors } = checkFilters(profile, filters, opts.now);
  if (Object.keys(errors).length) throw new UserError(Object.values(errors)[0], errors);
  if (!profile.capabilities.listBatches) throw new UserError(`${profile.label} does not list its batches, so ${conn.name}'s history cannot be imported.`);
  let listed: { items: RemoteBatch[]; pages: number; truncated: boolean };
  try {
    listed = await conn.adapter.list(query, { pageSize: opts.pageSize, max: opts.maxBatches ?? MAX_BATCHES });
  } catch (err) {
    const why = describeError(err);
    throw new UserError(`${conn.name} did not list its batches: ${why}`);
  }
  const here = await alreadyHere(prisma, ctx.team.id, conn.id, listed.items);
  return {
    batches: listed.items.map((b) => ({ ...summaryOf(b), batchId: here.get(b.id) ?? null })),
    pages: listed.pages,
    truncated: listed.truncated,
  };
}

export interface ImportOutcome {
  providerBatchId: string;
  outcome: "imported" | "already" | "failed";
  /** Our batch (imported now or before). */
  batchId?: string;
  /** What the person should know: an input that could not be read, or why it failed. */
  message?: string;
}

/** An empty InputFile of origin "import" standing in for an input that cannot be had, with the reason as its one problem. */
async function unavailableInput(prisma: Db, ctx: ImportContext, o: { name: string; endpoint: string; message: string }) {
  const empty = await prisma.inputFile.create({
    data: {
      teamId: ctx.team.id,
      name: o.name.slice(0, 255),
      format: "jsonl",
      bytes: 0,
      endpoint: o.endpoint,
      status: "invalid",
      origin: "import",
      problemCount: 1,
      problems: [{ line: 0, message: o.message }] as unknown as Prisma.InputJsonValue,
      createdById: ctx.user.id,
    },
    select: { id: true },
  });
  return { fileId: empty.id, note: o.message };
}

/** The endpoint a batch ran, where the provider does not say (the OpenAI shape's usual one). */
const DEFAULT_ENDPOINT = "/v1/chat/completions";

/**
 * Stores the provider's input file of a batch as an InputFile of origin "import" with its requests.
 * When there is none to read (the provider keeps none, names none, or has deleted it), an empty input
 * stands in and the reason is returned.
 */
async function importInput(prisma: Db, ctx: ImportContext, conn: Connection, remote: RemoteBatch): Promise<{ fileId: string; note?: string }> {
  const { profile } = conn;
  const endpoint = remote.endpoint || DEFAULT_ENDPOINT;
  const notKept = profile.capabilities.inputNotKept;
  if (notKept) {
    const made = await unavailableInput(prisma, ctx, { name: `Requests of ${remote.id} (not kept by ${profile.label})`, endpoint, message: notKept });
    // A batch whose results are gone too: the person should know before looking for them.
    return remote.resultsGone ? { ...made, note: `${remote.resultsGone} ${made.note}` } : made;
  }
  const fileId = remote.fields.providerInputFileId;
  let reason: string;
  const dir = path.join(env().DATA_DIR, "uploads");
  const tmp = path.join(dir, `import-${crypto.randomUUID()}.part`);
  try {
    const input = await conn.adapter.inputOf(remote);
    if ("missing" in input) reason = input.missing;
    else {
      await fs.promises.mkdir(dir, { recursive: true });
      await pipeline(Readable.fromWeb(input.content as NodeReadableStream), fs.createWriteStream(tmp));
      // The kind's own limits, not the team's for this connection: the batch ran already, whatever they say now.
      const limits = uploadLimitsFor(profileOf(conn.kind));
      const stored = await importJsonlFile(prisma, { path: tmp, name: input.name, teamId: ctx.team.id, userId: ctx.user.id, endpoint, limits });
      await prisma.inputFile.update({ where: { id: stored.id }, data: { origin: "import" } });
      if (stored.status === "valid") return { fileId: stored.id };
      return {
        fileId: stored.id,
        note: `Its input file did not pass Batchboard's checks (${stored.problemCount} problem${stored.problemCount === 1 ? "" : "s"}, e.g. ${stored.problems[0]?.message ?? "unknown"}), so prompts are not shown beside its answers.`,
      };
    }
  } catch (err) {
    reason =
      conn.adapter.classify(err).status === 404 ? `the provider no longer has its input file ${fileId}` : `its input file ${fileId} could not be read (${describeError(err)})`;
  } finally {
    await fs.promises.rm(tmp, { force: true });
  }
  return unavailableInput(prisma, ctx, {
    name: fileId ? `${fileId} (unavailable)` : `Input of ${remote.id} (unavailable)`,
    endpoint,
    message: `Imported without its requests: ${reason}. Its results are still stored; prompts are not shown beside them.`,
  });
}

/** The provider batch, or why it cannot be had. */
async function fetchRemote(conn: Connection, providerBatchId: string): Promise<RemoteBatch | { failed: string }> {
  try {
    return await conn.adapter.retrieve(providerBatchId);
  } catch (err) {
    if (conn.adapter.classify(err).status === 404) return { failed: `${conn.name} has no batch ${providerBatchId}.` };
    return { failed: `${conn.name} did not answer for ${providerBatchId}: ${describeError(err)}` };
  }
}

/**
 * A launch from this connection still waiting for the provider's answer, that may have made this
 * batch, where batches carry no id of ours to tell (Anthropic): its row gets the provider id only
 * once the answer is recorded. Importing it now would make a second row for the same batch.
 */
async function launchInFlight(prisma: Db, ctx: ImportContext, connectionId: string, remote: RemoteBatch) {
  const created = remote.fields.providerCreatedAt;
  return prisma.batch.findFirst({
    where: {
      teamId: ctx.team.id,
      connectionId,
      providerBatchId: null,
      status: "LAUNCHING",
      createdAt: { gt: new Date(Date.now() - LAUNCH_STALE_MS), ...(created ? { lte: new Date(created.getTime() + 60_000) } : {}) },
    },
    select: { id: true },
  });
}

const isUniqueViolation = (err: unknown) => (err as { code?: string })?.code === "P2002";

async function importOne(prisma: Db, ctx: ImportContext, conn: Connection, providerBatchId: string): Promise<ImportOutcome> {
  const existing = await prisma.batch.findFirst({ where: { teamId: ctx.team.id, connectionId: conn.id, providerBatchId }, select: { id: true } });
  if (existing) return { providerBatchId, outcome: "already", batchId: existing.id };

  const remote = await fetchRemote(conn, providerBatchId);
  if ("failed" in remote) return { providerBatchId, outcome: "failed", message: remote.failed };
  const launchedHere = (await alreadyHere(prisma, ctx.team.id, conn.id, [remote])).get(remote.id);
  if (launchedHere) return { providerBatchId, outcome: "already", batchId: launchedHere };
  if (!conn.profile.capabilities.recoverByMetadata && (await launchInFlight(prisma, ctx, conn.id, remote))) {
    return {
      providerBatchId,
      outcome: "failed",
      message: `A launch from Batchboard on ${conn.name} is still waiting for ${conn.profile.label}'s answer, and this batch may be that launch's. Import it again in a few minutes, once the launch is recorded.`,
    };
  }

  const input = await importInput(prisma, ctx, conn, remote);
  const { fields, progressPercent: percent } = remote;
  const name = remote.name || `Imported ${remote.id}`;
  try {
    // The unique idempotency key makes a second import of the same provider batch (a double click,
    // two people at once) fail here instead of making a second row.
    const batch = await prisma.$transaction(async (tx) => {
      const again = await tx.batch.findFirst({ where: { teamId: ctx.team.id, connectionId: conn.id, providerBatchId }, select: { id: true } });
      if (again) return { id: again.id, created: false };
      const b = await tx.batch.create({
        data: {
          teamId: ctx.team.id,
          connectionId: conn.id,
          inputFileId: input.fileId,
          name: name.slice(0, 200),
          description: remote.description?.slice(0, 2000) ?? null,
          endpoint: remote.endpoint || DEFAULT_ENDPOINT,
          // A window the provider does not say: its usual one.
          completionWindow: remote.completionWindow || "24h",
          idempotencyKey: importKey(conn.id, providerBatchId),
          ...fields,
          total: fields.total ?? 0,
          completed: fields.completed ?? (percent !== undefined && fields.total ? Math.floor((fields.total * percent) / 100) : 0),
          failed: fields.failed ?? 0,
          // In the team's history at the time it was made on the provider, not at the import.
          createdAt: fields.providerCreatedAt ?? new Date(),
          importedAt: new Date(),
          source: "import",
          createdById: ctx.user.id,
          nextPollAt: new Date(),
        },
        select: { id: true },
      });
      await tx.batchSnapshot.create({
        data: { batchId: b.id, status: fields.status, rawStatus: fields.rawStatus, total: fields.total ?? 0, completed: fields.completed ?? 0, failed: fields.failed ?? 0 },
      });
      await audit(tx, { teamId: ctx.team.id, actorId: ctx.user.id, action: "batch.imported", targetType: "batch", targetId: b.id, targetLabel: name.slice(0, 200), data: { connectionId: conn.id, providerBatchId } });
      return { id: b.id, created: true };
    });
    if (!batch.created) {
      await prisma.inputFile.deleteMany({ where: { id: input.fileId, batches: { none: {} } } });
      return { providerBatchId, outcome: "already", batchId: batch.id };
    }
    return { providerBatchId, outcome: "imported", batchId: batch.id, message: input.note };
  } catch (err) {
    await prisma.inputFile.deleteMany({ where: { id: input.fileId, batches: { none: {} } } });
    if (!isUniqueViolation(err)) throw err;
    const other = await prisma.batch.findUnique({ where: { idempotencyKey: importKey(conn.id, providerBatchId) }, select: { id: true } });
    return { providerBatchId, outcome: "already", batchId: other?.id };
  }
}

/**
 * Brings these provider batches into the team's history. Batches already there (imported before,
 * or launched from Batchboard) are answered "already" with their batch; nothing is ever made twice.
 */
export async function importBatches(prisma: Db, ctx: ImportContext, connectionId: string, providerBatchIds: string[]): Promise<ImportOutcome[]> {
  requireMember(ctx);
  const ids = [...new Set(providerBatchIds.map((x) => x.trim()).filter(Boolean))];
  if (ids.length === 0) throw new UserError("Choose at least one batch to import.");
  if (ids.length > MAX_IMPORT_IDS) throw new UserError(`Import at most ${MAX_IMPORT_IDS} batches at a time; ${ids.length} were chosen.`);
  const conn = await connectionOf(prisma, ctx.team.id, connectionId);
  const out: ImportOutcome[] = [];
  for (const id of ids) out.push(await importOne(prisma, ctx, conn, id));
  return out;
}
