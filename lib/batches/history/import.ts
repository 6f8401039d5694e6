// Import history: list the batches already on a connected provider account (every page) and bring
// chosen ones into the team's history. An imported batch gets an InputFile (origin "import") with
// the provider's input file stored as Request rows, so prompts show beside answers, and a Batch row
// due for sync now: the sync worker then ingests its results like any other batch's.
//
// Anthropic Message Batches (shape "anthropic") are listed and read through their own SDK. They have
// no input file: requests go inline in the create call and no API gives them back, only each
// result's custom_id. So their InputFile is an honest empty one, and their results come without
// prompts. They carry no metadata either: one launched from Batchboard is known by its provider id.
import "server-only";
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import Anthropic from "@anthropic-ai/sdk";
import type { MessageBatch } from "@anthropic-ai/sdk/resources/messages/batches";
import type OpenAI from "openai";
import { NotFoundError as ProviderNotFound } from "openai";
import type { Batch as ProviderBatch, BatchListParams } from "openai/resources/batches";
import type { Db } from "@/lib/db/client";
import type { Prisma } from "@/lib/generated/prisma/client";
import type { BatchStatus, Role } from "@/lib/generated/prisma/enums";
import { atLeast } from "@/lib/auth/roles";
import { decryptSecret } from "@/lib/crypto";
import { env } from "@/lib/env";
import { NotFoundError, UserError } from "@/lib/errors";
import { importJsonlFile } from "@/lib/files/store";
import { anthropicFields } from "@/lib/providers/anthropic";
import { makeAnthropicClient } from "@/lib/providers/anthropic-client";
import { makeClient } from "@/lib/providers/client";
import { profileOf, uploadLimitsFor } from "@/lib/providers/profiles";
import type { ProviderProfile } from "@/lib/providers/profile";
import { normaliseStatus } from "@/lib/providers/status";
import { archivedMessage } from "@/lib/batches/engine/anthropic";
import { checkFilters, type FilterValues } from "./import-filters";
import { BATCH_ID_METADATA_KEY, LAUNCH_STALE_MS, describeError, progressPercentOf, providerFields, toDate } from "@/lib/batches/engine/sync";

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

async function connectionOf(prisma: Db, teamId: string, connectionId: string) {
  const c = await prisma.providerConnection.findFirst({
    where: { id: connectionId, teamId },
    select: { id: true, name: true, kind: true, baseUrl: true, encryptedKey: true },
  });
  if (!c) throw new NotFoundError("That connection");
  const profile = profileOf(c.kind);
  const key = decryptSecret(c.encryptedKey);
  const opts = { maxRetries: 2, timeoutMs: 60_000 };
  if (profile.capabilities.protocol === "anthropic-message-batches") return { shape: "anthropic" as const, connection: c, profile, client: makeAnthropicClient(c.baseUrl, key, opts) };
  return { shape: "openai" as const, connection: c, profile, client: makeClient(c.kind, c.baseUrl, key, opts) };
}

type Connection = Awaited<ReturnType<typeof connectionOf>>;

function summaryOf(b: ProviderBatch, p: ProviderProfile): Omit<ProviderBatchSummary, "batchId"> {
  const counts = b.request_counts;
  const name = p.metadata.nameKey ? b.metadata?.[p.metadata.nameKey] : undefined;
  const raw = b as ProviderBatch & Record<string, unknown>;
  return {
    id: b.id,
    status: normaliseStatus(b.status),
    rawStatus: b.status ?? null,
    endpoint: b.endpoint ?? null,
    total: counts?.total ?? null,
    completed: counts?.completed ?? null,
    failed: counts?.failed ?? null,
    progress: progressPercentOf(b) ?? null,
    createdAt: toDate(raw.created_at as number | string | undefined)?.toISOString() ?? null,
    name: typeof name === "string" && name ? name : null,
    inputFileId: b.input_file_id || null,
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

/** Our batch id, where a launch from Batchboard wrote it into the provider batch's metadata. */
function oursOf(b: ProviderBatch): string | undefined {
  const v = b.metadata?.[BATCH_ID_METADATA_KEY];
  return typeof v === "string" ? v : undefined;
}

/** Every batch a provider lists (as a plain array, or page by page with `after` while `has_more`). */
async function listAll(client: OpenAI, p: ProviderProfile, query: FilterValues, opts: { pageSize?: number; maxBatches?: number }) {
  const max = opts.maxBatches ?? MAX_BATCHES;
  if (p.capabilities.listBatches!.shape === "array") {
    // The SDK's cursor page would read `data` of a plain array as empty: one raw GET instead.
    const body: unknown = await client.get("/batches", { query });
    const items = (Array.isArray(body) ? body : ((body as { data?: unknown[] })?.data ?? [])) as ProviderBatch[];
    return { items: items.slice(0, max), pages: 1, truncated: items.length > max };
  }
  const takesLimit = p.capabilities.listBatches!.filters.includes("limit");
  const limit = Math.min(opts.pageSize ?? p.capabilities.listBatches!.maxLimit ?? 100, p.capabilities.listBatches!.maxLimit ?? 100);
  // Extra filters ride along in the query: the SDK keeps them on every next page it asks for.
  return walk(await client.batches.list({ ...query, ...(takesLimit ? { limit } : {}) } as BatchListParams), max);
}

/** One page of an SDK's cursor list (openai's and Anthropic's both have this shape). */
interface CursorPage<T> {
  data: T[];
  hasNextPage(): boolean;
  getNextPage(): Promise<CursorPage<T>>;
}

/** Reads a cursor list from its first page to its last (or to `max` items), counting the pages. */
async function walk<T extends { id: string }>(first: CursorPage<T>, max: number) {
  let page = first;
  const seen = new Set<string>();
  const items: T[] = [];
  let pages = 1;
  for (;;) {
    let fresh = 0;
    for (const b of page.data) {
      if (seen.has(b.id)) continue;
      seen.add(b.id);
      fresh++;
      if (items.length === max) return { items, pages, truncated: true };
      items.push(b);
    }
    // A provider that ignores the cursor would answer the same page forever.
    if (fresh === 0 || !page.hasNextPage()) break;
    page = await page.getNextPage();
    pages++;
  }
  return { items, pages, truncated: false };
}

/**
 * Every Message Batch of an Anthropic account, newest first: GET /v1/messages/batches with `limit`
 * (1 to 1000), then `after_id` = the page's last_id while `has_more`, as the SDK's Page does it.
 */
async function listAllAnthropic(client: Anthropic, p: ProviderProfile, opts: { pageSize?: number; maxBatches?: number }) {
  const most = p.capabilities.listBatches!.maxLimit ?? 1000;
  const limit = Math.max(1, Math.min(opts.pageSize ?? most, most));
  return walk<MessageBatch>(await client.messages.batches.list({ limit }), opts.maxBatches ?? MAX_BATCHES);
}

/** The endpoint an imported Anthropic batch ran: the Messages API (its requests' own shape is unknown here). */
const ANTHROPIC_ENDPOINT = "/v1/messages";

function anthropicSummaryOf(b: MessageBatch): Omit<ProviderBatchSummary, "batchId"> {
  const f = anthropicFields(b);
  return {
    id: b.id,
    status: f.status,
    rawStatus: f.rawStatus,
    endpoint: ANTHROPIC_ENDPOINT,
    total: f.total ?? null,
    completed: f.completed ?? null,
    failed: f.failed ?? null,
    progress: null,
    createdAt: f.providerCreatedAt?.toISOString() ?? null,
    // No metadata, so no name: the page shows the id.
    name: null,
    inputFileId: null,
  };
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
  const { connection, profile } = conn;
  const { query, errors } = checkFilters(profile, filters, opts.now);
  if (Object.keys(errors).length) throw new UserError(Object.values(errors)[0], errors);
  let batches: Omit<ProviderBatchSummary, "batchId">[];
  let listed: { items: { id: string; ours?: string }[]; pages: number; truncated: boolean };
  try {
    if (conn.shape === "anthropic") {
      const all = await listAllAnthropic(conn.client, profile, opts);
      batches = all.items.map(anthropicSummaryOf);
      listed = { ...all, items: all.items.map((b) => ({ id: b.id })) };
    } else {
      const all = await listAll(conn.client, profile, query, opts);
      batches = all.items.map((b) => summaryOf(b, profile));
      listed = { ...all, items: all.items.map((b) => ({ id: b.id, ours: oursOf(b) })) };
    }
  } catch (err) {
    const why = describeError(err);
    throw new UserError(`${connection.name} did not list its batches: ${why}`);
  }
  const here = await alreadyHere(prisma, ctx.team.id, connection.id, listed.items);
  return {
    batches: batches.map((b) => ({ ...b, batchId: here.get(b.id) ?? null })),
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

/** Said of every imported Anthropic batch (and on its input file): where its prompts went. */
export const ANTHROPIC_NO_INPUT =
  "Imported without its requests: Anthropic keeps no input file for a Message Batch (its requests were sent inline, and no API gives them back), " +
  "so Batchboard knows them only by the custom_id of each result. Its results are stored; prompts are not shown beside them.";

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

/**
 * Stores the provider's input file of a batch as an InputFile of origin "import" with its requests.
 * When the file is gone or unreadable, an empty input stands in and the reason is returned.
 */
async function importInput(
  prisma: Db,
  client: OpenAI,
  profile: ProviderProfile,
  ctx: ImportContext,
  remote: ProviderBatch,
): Promise<{ fileId: string; note?: string }> {
  const endpoint = remote.endpoint || "/v1/chat/completions";
  const fileId = remote.input_file_id;
  let reason: string;
  if (!fileId) reason = "the provider names no input file";
  else {
    const dir = path.join(env().DATA_DIR, "uploads");
    const tmp = path.join(dir, `import-${crypto.randomUUID()}.part`);
    try {
      await fs.promises.mkdir(dir, { recursive: true });
      let name = `${fileId}.jsonl`;
      try {
        const meta = await client.files.retrieve(fileId);
        if (meta.filename) name = meta.filename.slice(0, 255);
      } catch {
        // Some providers answer the content but not the file object: keep the id as the name.
      }
      const res = await client.files.content(fileId);
      if (!res.body) throw new Error("empty answer");
      await pipeline(Readable.fromWeb(res.body as import("node:stream/web").ReadableStream), fs.createWriteStream(tmp));
      const stored = await importJsonlFile(prisma, { path: tmp, name, teamId: ctx.team.id, userId: ctx.user.id, endpoint, limits: uploadLimitsFor(profile) });
      await prisma.inputFile.update({ where: { id: stored.id }, data: { origin: "import" } });
      if (stored.status === "valid") return { fileId: stored.id };
      return {
        fileId: stored.id,
        note: `Its input file did not pass Batchboard's checks (${stored.problemCount} problem${stored.problemCount === 1 ? "" : "s"}, e.g. ${stored.problems[0]?.message ?? "unknown"}), so prompts are not shown beside its answers.`,
      };
    } catch (err) {
      reason = err instanceof ProviderNotFound ? `the provider no longer has its input file ${fileId}` : `its input file ${fileId} could not be read (${describeError(err)})`;
    } finally {
      await fs.promises.rm(tmp, { force: true });
    }
  }
  return unavailableInput(prisma, ctx, {
    name: fileId ? `${fileId} (unavailable)` : `Input of ${remote.id} (unavailable)`,
    endpoint,
    message: `Imported without its requests: ${reason}. Its results are still stored; prompts are not shown beside them.`,
  });
}

/** What the import needs of one provider batch, whatever the provider's shape. */
interface Remote {
  id: string;
  fields: ReturnType<typeof providerFields> | ReturnType<typeof anthropicFields>;
  name: string | null;
  description: string | null;
  endpoint: string;
  completionWindow: string;
  /** Together: a percentage instead of counts. */
  percent?: number;
  /** Our batch id from its metadata (a launch from here). */
  ours?: string;
  input(): Promise<{ fileId: string; note?: string }>;
}

/** The provider batch, as Remote, or why it cannot be had. */
async function fetchRemote(prisma: Db, ctx: ImportContext, conn: Connection, providerBatchId: string): Promise<Remote | { failed: string }> {
  const { connection, profile } = conn;
  if (conn.shape === "anthropic") {
    let b: MessageBatch;
    try {
      b = await conn.client.messages.batches.retrieve(providerBatchId);
    } catch (err) {
      if (err instanceof Anthropic.NotFoundError) return { failed: `${connection.name} has no batch ${providerBatchId}.` };
      return { failed: `${connection.name} did not answer for ${providerBatchId}: ${describeError(err)}` };
    }
    return {
      id: b.id,
      fields: anthropicFields(b),
      name: null,
      description: null,
      endpoint: ANTHROPIC_ENDPOINT,
      // Anthropic's window is fixed: a batch ends within 24 hours.
      completionWindow: "24h",
      input: async () => {
        const made = await unavailableInput(prisma, ctx, { name: `Requests of ${b.id} (not kept by Anthropic)`, endpoint: ANTHROPIC_ENDPOINT, message: ANTHROPIC_NO_INPUT });
        // An archived batch has no results left either: the person should know before looking for them.
        return b.archived_at ? { ...made, note: `${archivedMessage(b.archived_at)} ${made.note}` } : made;
      },
    };
  }
  let b: ProviderBatch;
  try {
    b = await conn.client.batches.retrieve(providerBatchId);
  } catch (err) {
    const message = err instanceof ProviderNotFound ? `${connection.name} has no batch ${providerBatchId}.` : `${connection.name} did not answer for ${providerBatchId}: ${describeError(err)}`;
    return { failed: message };
  }
  const meta = (key: string) => (key && typeof b.metadata?.[key] === "string" && b.metadata[key]) || null;
  return {
    id: b.id,
    fields: providerFields(b),
    name: meta(profile.metadata.nameKey),
    description: meta(profile.metadata.descriptionKey),
    endpoint: b.endpoint || "/v1/chat/completions",
    completionWindow: b.completion_window || "24h",
    percent: progressPercentOf(b),
    ours: oursOf(b),
    input: () => importInput(prisma, conn.client, profile, ctx, b),
  };
}

/**
 * An Anthropic launch from this connection still waiting for Anthropic's answer, that may have made
 * this batch: such a batch carries no metadata to tell, and its row gets the provider id only once
 * the answer is recorded. Importing it now would make a second row for the same batch.
 */
async function launchInFlight(prisma: Db, ctx: ImportContext, connectionId: string, remote: Remote) {
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
  const { connection } = conn;
  const existing = await prisma.batch.findFirst({ where: { teamId: ctx.team.id, connectionId: connection.id, providerBatchId }, select: { id: true } });
  if (existing) return { providerBatchId, outcome: "already", batchId: existing.id };

  const remote = await fetchRemote(prisma, ctx, conn, providerBatchId);
  if ("failed" in remote) return { providerBatchId, outcome: "failed", message: remote.failed };
  const launchedHere = (await alreadyHere(prisma, ctx.team.id, connection.id, [remote])).get(remote.id);
  if (launchedHere) return { providerBatchId, outcome: "already", batchId: launchedHere };
  if (conn.shape === "anthropic" && (await launchInFlight(prisma, ctx, connection.id, remote))) {
    return {
      providerBatchId,
      outcome: "failed",
      message: `A launch from Batchboard on ${connection.name} is still waiting for Anthropic's answer, and this batch may be that launch's. Import it again in a few minutes, once the launch is recorded.`,
    };
  }

  const input = await remote.input();
  const { fields, percent } = remote;
  const name = remote.name || `Imported ${remote.id}`;
  try {
    // The unique idempotency key makes a second import of the same provider batch (a double click,
    // two people at once) fail here instead of making a second row.
    const batch = await prisma.$transaction(async (tx) => {
      const again = await tx.batch.findFirst({ where: { teamId: ctx.team.id, connectionId: connection.id, providerBatchId }, select: { id: true } });
      if (again) return { id: again.id, created: false };
      const b = await tx.batch.create({
        data: {
          teamId: ctx.team.id,
          connectionId: connection.id,
          inputFileId: input.fileId,
          name: name.slice(0, 200),
          description: remote.description?.slice(0, 2000) ?? null,
          endpoint: remote.endpoint,
          completionWindow: remote.completionWindow,
          idempotencyKey: importKey(connection.id, providerBatchId),
          ...fields,
          total: fields.total ?? 0,
          completed: fields.completed ?? (percent !== undefined && fields.total ? Math.floor((fields.total * percent) / 100) : 0),
          failed: fields.failed ?? 0,
          // In the team's history at the time it was made on the provider, not at the import.
          createdAt: fields.providerCreatedAt ?? new Date(),
          importedAt: new Date(),
          createdById: ctx.user.id,
          nextPollAt: new Date(),
        },
        select: { id: true },
      });
      await tx.batchSnapshot.create({
        data: { batchId: b.id, status: fields.status, rawStatus: fields.rawStatus, total: fields.total ?? 0, completed: fields.completed ?? 0, failed: fields.failed ?? 0 },
      });
      await tx.auditEvent.create({
        data: { teamId: ctx.team.id, actorId: ctx.user.id, action: "batch.imported", targetType: "batch", targetId: b.id, data: { connectionId: connection.id, providerBatchId } },
      });
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
    const other = await prisma.batch.findUnique({ where: { idempotencyKey: importKey(connection.id, providerBatchId) }, select: { id: true } });
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
