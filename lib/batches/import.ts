// Import history: list the batches already on a connected provider account (every page) and bring
// chosen ones into the team's history. An imported batch gets an InputFile (origin "import") with
// the provider's input file stored as Request rows, so prompts show beside answers, and a Batch row
// due for sync now: the sync worker then ingests its results like any other batch's.
import "server-only";
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
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
import { makeClient } from "@/lib/providers/client";
import { normaliseStatus, profileOf, uploadLimitsFor, type ProviderProfile } from "@/lib/providers/registry";
import { checkFilters, type FilterValues } from "./import-filters";
import { BATCH_ID_METADATA_KEY, describeError, progressPercentOf, providerFields, toDate } from "./sync";

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
  if (profile.shape === "anthropic") throw new UserError(`Importing history is not available for ${profile.label} yet.`);
  return { connection: c, profile, client: makeClient(c.kind, c.baseUrl, decryptSecret(c.encryptedKey), { maxRetries: 2, timeoutMs: 60_000 }) };
}

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

/** Our batches for these provider batches, on this connection: by provider id, or by the id a launch from here put in the metadata. */
async function alreadyHere(prisma: Db, teamId: string, connectionId: string, remote: ProviderBatch[]) {
  const out = new Map<string, string>();
  const ids = remote.map((b) => b.id);
  const ours = remote.map((b) => b.metadata?.[BATCH_ID_METADATA_KEY]).filter((x): x is string => typeof x === "string");
  for (let i = 0; i < Math.max(ids.length, ours.length); i += 1000) {
    const rows = await prisma.batch.findMany({
      where: {
        teamId,
        connectionId,
        OR: [{ providerBatchId: { in: ids.slice(i, i + 1000) } }, { id: { in: ours.slice(i, i + 1000) } }],
      },
      select: { id: true, providerBatchId: true },
    });
    for (const r of rows) if (r.providerBatchId) out.set(r.providerBatchId, r.id);
    const byId = new Map(rows.map((r) => [r.id, r.id]));
    for (const b of remote) {
      const mine = b.metadata?.[BATCH_ID_METADATA_KEY];
      if (typeof mine === "string" && byId.has(mine) && !out.has(b.id)) out.set(b.id, mine);
    }
  }
  return out;
}

/** Every batch a provider lists (as a plain array, or page by page with `after` while `has_more`). */
async function listAll(client: OpenAI, p: ProviderProfile, query: FilterValues, opts: { pageSize?: number; maxBatches?: number }) {
  const max = opts.maxBatches ?? MAX_BATCHES;
  if (p.list.shape === "array") {
    // The SDK's cursor page would read `data` of a plain array as empty: one raw GET instead.
    const body: unknown = await client.get("/batches", { query });
    const items = (Array.isArray(body) ? body : ((body as { data?: unknown[] })?.data ?? [])) as ProviderBatch[];
    return { items: items.slice(0, max), pages: 1, truncated: items.length > max };
  }
  const takesLimit = p.list.filters.includes("limit");
  const limit = Math.min(opts.pageSize ?? p.list.maxLimit ?? 100, p.list.maxLimit ?? 100);
  // Extra filters ride along in the query: the SDK keeps them on every next page it asks for.
  let page = await client.batches.list({ ...query, ...(takesLimit ? { limit } : {}) } as BatchListParams);
  const seen = new Set<string>();
  const items: ProviderBatch[] = [];
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
    // A provider that ignores `after` would answer the same page forever.
    if (fresh === 0 || !page.hasNextPage()) break;
    page = await page.getNextPage();
    pages++;
  }
  return { items, pages, truncated: false };
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
  const { connection, profile, client } = await connectionOf(prisma, ctx.team.id, connectionId);
  const { query, errors } = checkFilters(profile, filters, opts.now);
  if (Object.keys(errors).length) throw new UserError(Object.values(errors)[0], errors);
  let listed;
  try {
    listed = await listAll(client, profile, query, opts);
  } catch (err) {
    throw new UserError(`${connection.name} did not list its batches: ${describeError(err)}`);
  }
  const here = await alreadyHere(prisma, ctx.team.id, connection.id, listed.items);
  return {
    batches: listed.items.map((b) => ({ ...summaryOf(b, profile), batchId: here.get(b.id) ?? null })),
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
  const message = `Imported without its requests: ${reason}. Its results are still stored; prompts are not shown beside them.`;
  const empty = await prisma.inputFile.create({
    data: {
      teamId: ctx.team.id,
      name: fileId ? `${fileId} (unavailable)` : `Input of ${remote.id} (unavailable)`,
      format: "jsonl",
      bytes: 0,
      endpoint,
      status: "invalid",
      origin: "import",
      problemCount: 1,
      problems: [{ line: 0, message }] as unknown as Prisma.InputJsonValue,
      createdById: ctx.user.id,
    },
    select: { id: true },
  });
  return { fileId: empty.id, note: message };
}

const isUniqueViolation = (err: unknown) => (err as { code?: string })?.code === "P2002";

async function importOne(prisma: Db, ctx: ImportContext, conn: Awaited<ReturnType<typeof connectionOf>>, providerBatchId: string): Promise<ImportOutcome> {
  const { connection, profile, client } = conn;
  const existing = await prisma.batch.findFirst({ where: { teamId: ctx.team.id, connectionId: connection.id, providerBatchId }, select: { id: true } });
  if (existing) return { providerBatchId, outcome: "already", batchId: existing.id };

  let remote: ProviderBatch;
  try {
    remote = await client.batches.retrieve(providerBatchId);
  } catch (err) {
    const message = err instanceof ProviderNotFound ? `${connection.name} has no batch ${providerBatchId}.` : `${connection.name} did not answer for ${providerBatchId}: ${describeError(err)}`;
    return { providerBatchId, outcome: "failed", message };
  }
  const launchedHere = (await alreadyHere(prisma, ctx.team.id, connection.id, [remote])).get(remote.id);
  if (launchedHere) return { providerBatchId, outcome: "already", batchId: launchedHere };

  const input = await importInput(prisma, client, profile, ctx, remote);
  const fields = providerFields(remote);
  const name = (profile.metadata.nameKey && remote.metadata?.[profile.metadata.nameKey]) || `Imported ${remote.id}`;
  const description = (profile.metadata.descriptionKey && remote.metadata?.[profile.metadata.descriptionKey]) || null;
  const percent = progressPercentOf(remote);
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
          description: description?.slice(0, 2000) ?? null,
          endpoint: remote.endpoint || "/v1/chat/completions",
          completionWindow: remote.completion_window || "24h",
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
