// Reads behind the batch pages and their JSON routes: the team's batch list, one batch with its
// progress snapshots, and a page of results beside the requests that produced them. Every read of
// a batch takes the team id, so another team's batch is simply not found. The shapes returned are
// plain JSON (dates as ISO strings, no BigInt) so that a page can hand them to react-query as
// initial data and the routes can send the very same objects.
import "server-only";
import type { Db } from "@/lib/db/client";
import { sql } from "@/lib/db/sql";
import { Prisma } from "@/lib/generated/prisma/client";
import type { BatchStatus } from "@/lib/generated/prisma/enums";
import { isTerminal, profiles } from "@/lib/providers/registry";
import { effectiveProfile, readConnectionLimits } from "@/lib/providers/connections.limits";

export type ResultStatusFilter = "all" | "succeeded" | "failed";

export interface ResultFilter {
  status?: ResultStatusFilter;
  /** Case-insensitive text searched in custom_id, prompt and answer. */
  q?: string;
}

export interface ResultQuery extends ResultFilter {
  page?: number;
  pageSize?: number;
}

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
}

export interface Paged<T> {
  rows: T[];
  total: number;
  page: number;
  pageSize: number;
  pageCount: number;
}

export interface SnapshotPoint {
  at: string;
  status: BatchStatus;
  total: number;
  completed: number;
  failed: number;
}

export interface BatchView {
  id: string;
  name: string;
  description: string | null;
  status: BatchStatus;
  rawStatus: string | null;
  endpoint: string;
  completionWindow: string;
  providerBatchId: string | null;
  outputFileId: string | null;
  errorFileId: string | null;
  errors: unknown;
  total: number;
  completed: number;
  failed: number;
  createdAt: string;
  providerCreatedAt: string | null;
  inProgressAt: string | null;
  finalizingAt: string | null;
  completedAt: string | null;
  failedAt: string | null;
  expiredAt: string | null;
  cancellingAt: string | null;
  cancelledAt: string | null;
  expiresAt: string | null;
  lastPolledAt: string | null;
  lastSyncError: string | null;
  resultsIngestedAt: string | null;
  resultCount: number;
  /** Brought in from the provider's own history (import), not launched here. */
  importedAt: string | null;
  /** A free test run on the provider's test model (Bailian's batch-test-model). */
  dryRun: boolean;
  connection: { id: string; name: string; kind: string; providerLabel: string };
  inputFile: { id: string; name: string; requestCount: number };
  createdBy: string | null;
  parent: { id: string; name: string } | null;
  /** Result rows stored so far, by outcome (the filter tabs' numbers). */
  resultCounts: { all: number; succeeded: number; failed: number };
  terminal: boolean;
  /** Whether the page should keep polling: still running, or finished with results not yet stored. */
  live: boolean;
  snapshots: SnapshotPoint[];
}

export interface ResultRow {
  id: string;
  customId: string;
  succeeded: boolean;
  statusCode: number | null;
  providerRequestId: string | null;
  model: string | null;
  created: number | null;
  content: string | null;
  reasoningContent: string | null;
  finishReason: string | null;
  promptTokens: number | null;
  completionTokens: number | null;
  reasoningTokens: number | null;
  totalTokens: number | null;
  errorCode: string | null;
  errorMessage: string | null;
  prompt: string | null;
}

export const RESULTS_PAGE_SIZE = 50;
export const BATCHES_PAGE_SIZE = 25;
/** The chart needs the shape of the curve, not every poll of a day-long batch. */
const MAX_CHART_POINTS = 400;

const iso = (d: Date | null | undefined) => (d ? d.toISOString() : null);

function clampPage(page: number | undefined) {
  return Number.isFinite(page) && (page as number) >= 1 ? Math.floor(page as number) : 1;
}

function clampSize(size: number | undefined, fallback: number) {
  return Number.isFinite(size) && (size as number) >= 1 ? Math.min(Math.floor(size as number), 500) : fallback;
}

/** Is there anything still to wait for? Terminal batches with files not yet ingested still are. */
export function isLive(b: { status: BatchStatus; resultsIngestedAt: Date | string | null; outputFileId: string | null; errorFileId: string | null }) {
  if (!isTerminal(b.status)) return true;
  return !b.resultsIngestedAt && Boolean(b.outputFileId || b.errorFileId);
}

export async function listBatches(prisma: Db, teamId: string, opts: { page?: number; pageSize?: number } = {}): Promise<Paged<BatchListRow>> {
  const pageSize = clampSize(opts.pageSize, BATCHES_PAGE_SIZE);
  const page = clampPage(opts.page);
  const [rows, total] = await Promise.all([
    prisma.batch.findMany({
      where: { teamId },
      // id breaks ties so that pages never repeat or skip a batch created in the same millisecond.
      orderBy: [{ createdAt: "desc" }, { id: "desc" }],
      skip: (page - 1) * pageSize,
      take: pageSize,
      select: {
        id: true,
        name: true,
        status: true,
        rawStatus: true,
        total: true,
        completed: true,
        failed: true,
        createdAt: true,
        resultsIngestedAt: true,
        outputFileId: true,
        errorFileId: true,
        importedAt: true,
        dryRun: true,
        connection: { select: { name: true, kind: true } },
        createdBy: { select: { name: true } },
      },
    }),
    prisma.batch.count({ where: { teamId } }),
  ]);
  return {
    rows: rows.map((b) => ({
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
      live: isLive(b),
      importedAt: iso(b.importedAt),
      dryRun: b.dryRun,
    })),
    total,
    page,
    pageSize,
    pageCount: Math.max(1, Math.ceil(total / pageSize)),
  };
}

/** One batch of the team with what its page shows beside it; null when absent or another team's. */
export async function getBatch(prisma: Db, teamId: string, id: string) {
  return prisma.batch.findFirst({
    where: { id, teamId },
    include: {
      connection: { select: { id: true, name: true, kind: true } },
      inputFile: { select: { id: true, name: true, requestCount: true } },
      createdBy: { select: { name: true } },
      parent: { select: { id: true, name: true } },
    },
  });
}

export async function getBatchView(prisma: Db, teamId: string, id: string): Promise<BatchView | null> {
  const b = await getBatch(prisma, teamId, id);
  if (!b) return null;
  const [snapshots, resultCounts] = await Promise.all([
    prisma.batchSnapshot.findMany({
      where: { batchId: b.id },
      orderBy: { at: "asc" },
      select: { at: true, status: true, total: true, completed: true, failed: true },
    }),
    countResults(prisma, b.id),
  ]);
  return {
    id: b.id,
    name: b.name,
    description: b.description,
    status: b.status,
    rawStatus: b.rawStatus,
    endpoint: b.endpoint,
    completionWindow: b.completionWindow,
    providerBatchId: b.providerBatchId,
    outputFileId: b.outputFileId,
    errorFileId: b.errorFileId,
    errors: b.errors ?? null,
    total: b.total,
    completed: b.completed,
    failed: b.failed,
    createdAt: b.createdAt.toISOString(),
    providerCreatedAt: iso(b.providerCreatedAt),
    inProgressAt: iso(b.inProgressAt),
    finalizingAt: iso(b.finalizingAt),
    completedAt: iso(b.completedAt),
    failedAt: iso(b.failedAt),
    expiredAt: iso(b.expiredAt),
    cancellingAt: iso(b.cancellingAt),
    cancelledAt: iso(b.cancelledAt),
    expiresAt: iso(b.expiresAt),
    lastPolledAt: iso(b.lastPolledAt),
    lastSyncError: b.lastSyncError,
    resultsIngestedAt: iso(b.resultsIngestedAt),
    resultCount: b.resultCount,
    importedAt: iso(b.importedAt),
    dryRun: b.dryRun,
    connection: { ...b.connection, providerLabel: profiles[b.connection.kind]?.label ?? b.connection.kind },
    inputFile: b.inputFile,
    createdBy: b.createdBy?.name ?? null,
    parent: b.parent,
    resultCounts,
    terminal: isTerminal(b.status),
    live: isLive(b),
    snapshots: thin(snapshots).map((s) => ({ ...s, at: s.at.toISOString() })),
  };
}

/** Keeps at most MAX_CHART_POINTS evenly spread snapshots, always the first and the last. */
function thin<T>(points: T[]): T[] {
  if (points.length <= MAX_CHART_POINTS) return points;
  const step = (points.length - 1) / (MAX_CHART_POINTS - 1);
  return Array.from({ length: MAX_CHART_POINTS }, (_, i) => points[Math.round(i * step)]);
}

export async function countResults(prisma: Db, batchId: string) {
  const groups = await prisma.result.groupBy({ by: ["succeeded"], where: { batchId }, _count: { _all: true } });
  const succeeded = groups.find((g) => g.succeeded)?._count._all ?? 0;
  const failed = groups.find((g) => !g.succeeded)?._count._all ?? 0;
  return { all: succeeded + failed, succeeded, failed };
}

/** LIKE treats % and _ as wildcards; a search for "50%" means the text "50%". */
export function likePattern(q: string) {
  return `%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

export function normaliseFilter(f: ResultFilter): Required<ResultFilter> {
  const status = f.status === "succeeded" || f.status === "failed" ? f.status : "all";
  return { status, q: (f.q ?? "").trim().slice(0, 200) };
}

/**
 * The WHERE clause shared by the results page and the exports, over `res` (Result) and `req`
 * (its Request). Every branch starts from the batch id so that the (batchId, ...) indexes apply.
 */
export function resultWhere(batchId: string, filter: ResultFilter): Prisma.Sql {
  const f = normaliseFilter(filter);
  const parts: Prisma.Sql[] = [Prisma.sql`res."batchId" = ${batchId}`];
  if (f.status !== "all") parts.push(Prisma.sql`res."succeeded" = ${f.status === "succeeded"}`);
  if (f.q) {
    const p = likePattern(f.q);
    parts.push(Prisma.sql`(res."customId" ILIKE ${p} OR req."prompt" ILIKE ${p} OR res."content" ILIKE ${p})`);
  }
  return Prisma.join(parts, " AND ");
}

/**
 * Joins each result to the request with the same custom_id in the batch's input file, through the
 * (fileId, customId) unique index. The batch's file id is a scalar subquery, so a caller needs only
 * the batch id and the whole page stays one statement.
 */
export function requestJoin(batchId: string): Prisma.Sql {
  return Prisma.sql`LEFT JOIN "Request" req ON req."fileId" = (SELECT b."inputFileId" FROM "Batch" b WHERE b."id" = ${batchId}) AND req."customId" = res."customId"`;
}

export const resultColumns = Prisma.sql`res."id"::text AS "id", res."customId", res."succeeded", res."statusCode", res."providerRequestId", res."model", res."created",
  res."content", res."reasoningContent", res."finishReason", res."promptTokens", res."completionTokens", res."reasoningTokens",
  res."totalTokens", res."errorCode", res."errorMessage", req."prompt"`;

/** Results in input order: by the line of their request, then (no line: a custom_id the input lacks) as stored. */
export const resultOrder = Prisma.sql`res."line", res."id"`;

type RawResultRow = Omit<ResultRow, "id"> & { id: string | number | bigint };

export function toResultRow(r: RawResultRow): ResultRow {
  return { ...r, id: String(r.id) };
}

/**
 * One page of a batch's results with their prompts, in input order (the line of each result's
 * request; results whose custom_id the input lacks come last, as stored). Read through the raw
 * driver (lib/db/sql.ts): Prisma's client costs more than the query itself here. The count is
 * separate: without a search it needs only the (batchId, succeeded) index, not the join.
 */
export async function queryResults(prisma: Db, batchId: string, opts: ResultQuery = {}): Promise<Paged<ResultRow>> {
  const db = sql(prisma);
  const pageSize = clampSize(opts.pageSize, RESULTS_PAGE_SIZE);
  const page = clampPage(opts.page);
  const f = normaliseFilter(opts);
  const where = resultWhere(batchId, f);
  const offset = (page - 1) * pageSize;
  const [rows, total] = await Promise.all([
    db.query<RawResultRow>(
      f.q
        ? Prisma.sql`
          SELECT ${resultColumns}
          FROM "Result" res ${requestJoin(batchId)}
          WHERE ${where}
          ORDER BY ${resultOrder}
          LIMIT ${pageSize} OFFSET ${offset}`
        : // Without a search the prompt is not needed to choose the page: skip the offset on Result
          // alone (the (batchId, line, id) index), then join just the page's rows.
          Prisma.sql`
          WITH page AS (
            SELECT * FROM "Result" res WHERE ${where} ORDER BY ${resultOrder} LIMIT ${pageSize} OFFSET ${offset}
          )
          SELECT ${resultColumns}
          FROM page res ${requestJoin(batchId)}
          ORDER BY ${resultOrder}`,
    ),
    db
      .query<{ n: number }>(
        f.q
          ? Prisma.sql`SELECT count(*)::int AS n FROM "Result" res ${requestJoin(batchId)} WHERE ${where}`
          : Prisma.sql`SELECT count(*)::int AS n FROM "Result" res WHERE ${where}`,
      )
      .then((r) => Number(r[0]?.n ?? 0)),
  ]);
  return { rows: rows.map(toResultRow), total, page, pageSize, pageCount: Math.max(1, Math.ceil(total / pageSize)) };
}

/** What the launch form offers: the team's files that passed validation, and its connections. */
export async function launchOptions(prisma: Db, teamId: string) {
  const [files, connections] = await Promise.all([
    prisma.inputFile.findMany({
      where: { teamId, status: "valid" },
      orderBy: { createdAt: "desc" },
      take: 200,
      select: { id: true, name: true, endpoint: true, models: true, requestCount: true, bytes: true, createdAt: true },
    }),
    prisma.providerConnection.findMany({
      where: { teamId },
      orderBy: { createdAt: "asc" },
      select: { id: true, name: true, kind: true, limits: true },
    }),
  ]);
  // The sandbox comes first: it is the one a new user can launch on without a key.
  connections.sort((a, b) => Number(b.kind === "sandbox") - Number(a.kind === "sandbox"));
  return {
    // bytes as a number: the form explains a file over a byte limit (BigInt does not cross to the browser).
    files: files.map((f) => ({ ...f, bytes: Number(f.bytes), createdAt: f.createdAt.toISOString() })),
    connections: connections.map((c) => {
      if (!profiles[c.kind]) return { ...c, limits: null, providerLabel: c.kind, endpoints: [], completionWindows: ["24h"] };
      // A custom connection's own limits (checked again as read); the form builds the same effective profile.
      const limits = readConnectionLimits(c);
      const p = effectiveProfile(c.kind, limits, { name: c.name });
      return {
        ...c,
        limits,
        providerLabel: profiles[c.kind].label,
        endpoints: p.endpoints,
        completionWindows: p.completionWindows,
      };
    }),
  };
}

export type LaunchOptions = Awaited<ReturnType<typeof launchOptions>>;
