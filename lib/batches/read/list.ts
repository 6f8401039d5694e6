// The team's batch list, newest first, a keyset page at a time (the list page and GET /api/batches),
// with the filters of the address (list-params.ts): status, provider, connection, member, dates and
// a search in the name. Each page is one indexed range read of (teamId, createdAt, id) or of a
// filter's own (teamId, <column>, createdAt) index, however deep: no OFFSET. Each row carries the
// file's models and what its results came to (tokens, cost per currency) from BatchUsage
// (lib/usage/rollup.ts), and how long it ran. Plain JSON: dates as ISO strings.
import "server-only";
import type { Db } from "@/lib/db/client";
import { sql } from "@/lib/db/sql";
import { clampSize, iso } from "@/lib/db/paging";
import { ParamError, paramValue, type ParamSource } from "@/lib/http/params";
import type { Prisma } from "@/lib/generated/prisma/client";
import type { BatchStatus } from "@/lib/generated/prisma/enums";
import { refreshUsage } from "@/lib/usage/rollup";
import { BATCH_SOURCES, BATCH_STATUSES, type BatchListParams, type BatchSource } from "./list-params";
import { isLive } from "./view";

export interface BatchListRow {
  id: string;
  name: string;
  status: BatchStatus;
  rawStatus: string | null;
  total: number;
  completed: number;
  failed: number;
  createdAt: string;
  connection: { name: string; kind: string };
  createdBy: string | null;
  live: boolean;
  /** Brought in from the provider's own history (import), not launched here. */
  importedAt: string | null;
  /** A free test run on the provider's test model (Bailian's batch-test-model). */
  dryRun: boolean;
  /** Where it came from: the browser, the API (with the token's name), or a provider's history. */
  source: BatchSource;
  token: string | null;
  /** One part of a job (a file split over the provider's limits, lib/batches/jobs.ts). */
  part?: { jobId: string; part: number; of: number } | null;
  /** The models its file names. */
  models: string[];
  /** Tokens of its stored results (prompt + completion). */
  tokens: number;
  /** What its results cost, per currency; empty when nothing is priced or stored yet. */
  cost: { currency: string; amount: number }[];
  /** From launch to its end, or until now while it runs. */
  durationMs: number;
}

export interface BatchListPage {
  rows: BatchListRow[];
  /** Batches matching the filters. */
  total: number;
  /** Position of the next (older) page, or null at the end. */
  next: string | null;
  /** Position of the previous (newer) page, or null on the first. */
  prev: string | null;
  pageSize: number;
}

export const BATCHES_PAGE_SIZE = 25;

/** A position is the last row's (createdAt, id), opaque to the address. */
export function encodeCursor(createdAt: Date, id: string): string {
  return Buffer.from(`${createdAt.toISOString()}|${id}`).toString("base64url");
}

export function decodeCursor(cursor: string, param = "after"): { createdAt: Date; id: string } {
  const [at, id] = Buffer.from(cursor, "base64url").toString("utf8").split("|");
  const createdAt = new Date(at ?? "");
  if (!id || Number.isNaN(createdAt.getTime()) || !/^[A-Za-z0-9_-]{1,64}$/.test(id)) throw new ParamError(param, `The parameter "${param}" is not a position in this list. Start again from the first page.`);
  return { createdAt, id };
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const ID = /^[A-Za-z0-9_-]{1,64}$/;

function text(src: ParamSource, name: string, max = 200): string | undefined {
  const v = paramValue(src, name)?.trim();
  if (!v) return undefined;
  if (v.length > max) throw new ParamError(name, `The parameter "${name}" may be up to ${max} characters long.`);
  return v;
}

function id(src: ParamSource, name: string): string | undefined {
  const v = text(src, name);
  if (v !== undefined && !ID.test(v)) throw new ParamError(name, `The parameter "${name}" is not an id Batchboard made.`);
  return v;
}

function date(src: ParamSource, name: string): string | undefined {
  const v = text(src, name);
  if (v === undefined) return undefined;
  if (!DATE.test(v) || Number.isNaN(Date.parse(`${v}T00:00:00Z`))) throw new ParamError(name, `The parameter "${name}" must be a date as YYYY-MM-DD; "${v.slice(0, 40)}" is not.`);
  return v;
}

/** The list's parameters from the address; a bad one is a ParamError naming it. */
export function parseBatchListParams(src: ParamSource): BatchListParams {
  const status = text(src, "status");
  if (status !== undefined && !BATCH_STATUSES.includes(status.toUpperCase() as BatchStatus)) {
    throw new ParamError("status", `The parameter "status" must be one of ${BATCH_STATUSES.map((s) => s.toLowerCase()).join(", ")}.`);
  }
  const source = text(src, "source");
  if (source !== undefined && !(BATCH_SOURCES as readonly string[]).includes(source)) {
    throw new ParamError("source", `The parameter "source" must be one of ${BATCH_SOURCES.join(", ")}.`);
  }
  const p: BatchListParams = {
    status: status ? (status.toUpperCase() as BatchStatus) : undefined,
    source: source as BatchSource | undefined,
    provider: text(src, "provider", 64),
    connection: id(src, "connection"),
    member: id(src, "member"),
    from: date(src, "from"),
    to: date(src, "to"),
    q: text(src, "q"),
    after: text(src, "after", 120),
    before: text(src, "before", 120),
  };
  // A position is checked here too, so that a page shows what is wrong with the address.
  if (p.after) decodeCursor(p.after, "after");
  if (p.before) decodeCursor(p.before, "before");
  if (p.from && p.to && p.from > p.to) throw new ParamError("to", `The date range ends (${p.to}) before it starts (${p.from}).`);
  return Object.fromEntries(Object.entries(p).filter(([, v]) => v !== undefined)) as BatchListParams;
}

const DAY = 86_400_000;

/** The filters as a Prisma where clause over the team's batches. */
export function batchListWhere(teamId: string, p: BatchListParams): Prisma.BatchWhereInput {
  const createdAt: Prisma.DateTimeFilter = {};
  if (p.from) createdAt.gte = new Date(`${p.from}T00:00:00Z`);
  if (p.to) createdAt.lt = new Date(Date.parse(`${p.to}T00:00:00Z`) + DAY);
  return {
    teamId,
    ...(p.status ? { status: p.status } : {}),
    ...(p.source ? { source: p.source } : {}),
    ...(p.provider ? { connection: { kind: p.provider } } : {}),
    ...(p.connection ? { connectionId: p.connection } : {}),
    ...(p.member ? { createdById: p.member } : {}),
    ...(p.from || p.to ? { createdAt } : {}),
    ...(p.q ? { name: { contains: p.q, mode: "insensitive" as const } } : {}),
  };
}

const endOf = (b: { completedAt: Date | null; failedAt: Date | null; expiredAt: Date | null; cancelledAt: Date | null }) => b.completedAt ?? b.failedAt ?? b.expiredAt ?? b.cancelledAt;

export async function listBatches(prisma: Db, teamId: string, p: BatchListParams = {}, opts: { pageSize?: number; now?: Date } = {}): Promise<BatchListPage> {
  const pageSize = clampSize(opts.pageSize, BATCHES_PAGE_SIZE);
  const where = batchListWhere(teamId, p);
  const backwards = Boolean(p.before && !p.after);
  const cursor = p.after ? decodeCursor(p.after, "after") : p.before ? decodeCursor(p.before, "before") : null;
  const op = backwards ? "gt" : "lt";
  const keyset: Prisma.BatchWhereInput = cursor ? { OR: [{ createdAt: { [op]: cursor.createdAt } }, { createdAt: cursor.createdAt, id: { [op]: cursor.id } }] } : {};
  const dir = backwards ? "asc" : "desc";
  await refreshUsage(prisma, teamId);
  const [found, total] = await Promise.all([
    prisma.batch.findMany({
      where: { AND: [where, keyset] },
      // id breaks ties so that pages never repeat or skip a batch created in the same millisecond.
      orderBy: [{ createdAt: dir }, { id: dir }],
      take: pageSize + 1,
      select: {
        id: true,
        name: true,
        status: true,
        rawStatus: true,
        total: true,
        completed: true,
        failed: true,
        createdAt: true,
        providerCreatedAt: true,
        completedAt: true,
        failedAt: true,
        expiredAt: true,
        cancelledAt: true,
        resultsIngestedAt: true,
        outputFileId: true,
        errorFileId: true,
        importedAt: true,
        dryRun: true,
        source: true,
        apiToken: { select: { name: true } },
        jobPart: true,
        job: { select: { id: true, _count: { select: { batches: true } } } },
        connection: { select: { name: true, kind: true } },
        createdBy: { select: { name: true } },
        inputFile: { select: { models: true } },
      },
    }),
    prisma.batch.count({ where }),
  ]);
  const more = found.length > pageSize;
  const page = found.slice(0, pageSize);
  if (backwards) page.reverse();
  const usage = page.length
    ? await sql(prisma).query<{ batchId: string; currency: string | null; tokens: number; cost: number | null }>(
        `SELECT "batchId", "currency", sum("promptTokens" + "completionTokens")::float8 AS tokens, sum("cost")::float8 AS cost
           FROM "BatchUsage" WHERE "batchId" = ANY($1::text[]) GROUP BY "batchId", "currency"`,
        [page.map((b) => b.id)],
      )
    : [];
  const now = (opts.now ?? new Date()).getTime();
  const first = page[0];
  const last = page[page.length - 1];
  return {
    rows: page.map((b) => {
      const u = usage.filter((x) => x.batchId === b.id);
      const live = isLive(b);
      const start = (b.providerCreatedAt ?? b.createdAt).getTime();
      const end = endOf(b)?.getTime() ?? (live ? now : start);
      return {
        id: b.id,
        name: b.name,
        status: b.status,
        rawStatus: b.rawStatus,
        total: b.total,
        completed: b.completed,
        failed: b.failed,
        createdAt: b.createdAt.toISOString(),
        connection: b.connection,
        createdBy: b.createdBy?.name ?? null,
        live,
        importedAt: iso(b.importedAt),
        dryRun: b.dryRun,
        source: (BATCH_SOURCES as readonly string[]).includes(b.source) ? (b.source as BatchSource) : "browser",
        token: b.apiToken?.name ?? null,
        part: b.job ? { jobId: b.job.id, part: b.jobPart ?? 0, of: b.job._count.batches } : null,
        models: b.inputFile.models,
        tokens: u.reduce((a, x) => a + Number(x.tokens ?? 0), 0),
        cost: u.filter((x) => x.currency && x.cost !== null).map((x) => ({ currency: x.currency!, amount: Number(x.cost) })),
        durationMs: Math.max(0, end - start),
      };
    }),
    total,
    // Going forwards, more rows mean an older page; going back, there is always one (we came from it).
    next: last && (backwards || more) ? encodeCursor(last.createdAt, last.id) : null,
    prev: first && (backwards ? more : Boolean(cursor)) ? encodeCursor(first.createdAt, first.id) : null,
    pageSize,
  };
}
