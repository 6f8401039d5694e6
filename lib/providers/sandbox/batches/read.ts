// The sandbox's batches as its provider shows them: status from the clock (progress.ts) spelt as
// the mode's provider spells it, timestamps, counts or a percentage, left-out or null fields; one
// batch, or the list with the filters the mode takes. Reading an ended batch writes its result files
// once (results.ts).
import "server-only";
import { db } from "@/lib/db/client";
import type { Prisma } from "@/lib/generated/prisma/client";
import { modeOf } from "@/lib/providers/imitations";
import { badRequest, notFound } from "@/lib/providers/sandbox/api-error";
import { clockOf, type BatchRow } from "@/lib/providers/sandbox/clock";
import { afterCursor, intParam, listObject } from "@/lib/providers/sandbox/files";
import type { SandboxMode } from "@/lib/providers/sandbox/mode";
import { progressAt, type SandboxStatus } from "@/lib/providers/sandbox/progress";
import { finalizeOnce } from "./results";

/** A line's problem, as a batch that failed validation reports it. */
export interface LineError {
  code: string;
  message: string;
  param?: string | null;
  line: number | null;
}

/** The status as the mode's provider spells it. */
export function spell(mode: SandboxMode, status: SandboxStatus): string {
  let st: string = status;
  if (mode.upperCaseStatuses) {
    // Together: no finalizing phase of its own, and "CANCELING" with one L.
    if (st === "finalizing") st = "in_progress";
    if (st === "cancelling") st = "canceling";
    st = st.toUpperCase();
  }
  return st;
}

export async function render(row: BatchRow, now = Date.now()) {
  const mode = modeOf(row.mode);
  const p = progressAt(clockOf(row), now);
  if (p.hasResults && !row.finalized) row = await finalizeOnce(row, p);
  const sec = (ms: number | undefined) => (ms === undefined ? undefined : Math.floor(ms / 1000));
  let errors: { object: "list"; data: LineError[] } | undefined;
  if (p.status === "failed") errors = { object: "list", data: (row.errors as unknown as LineError[] | null) ?? [] };
  const times = {
    created_at: row.createdAt.getTime(),
    in_progress_at: p.inProgressAt,
    expires_at: p.expiresAt,
    finalizing_at: p.finalizingAt,
    completed_at: p.completedAt,
    failed_at: p.failedAt,
    expired_at: p.expiredAt,
    cancelling_at: p.cancellingAt,
    cancelled_at: p.cancelledAt,
  };
  const stamp = (ms: number | undefined) => (mode.isoDatesAndProgress ? (ms === undefined ? undefined : new Date(ms).toISOString()) : sec(ms));
  const unset = mode.nullFields ? null : undefined;
  const orUnset = <T,>(v: T | undefined | null) => (v === undefined || v === null ? unset : v);
  const stamps = Object.fromEntries(Object.entries(times).map(([k, v]) => [k, orUnset(stamp(v))]));
  // Unset fields are left out rather than null: the OpenAPI schema of Batch does not allow null,
  // and clients must tolerate both (some providers omit them, Bailian's examples send null).
  return {
    id: row.id,
    object: "batch",
    endpoint: row.endpoint,
    errors: orUnset(errors),
    input_file_id: row.inputFileId,
    completion_window: row.completionWindow,
    status: spell(mode, p.status),
    output_file_id: orUnset(row.outputFileId),
    error_file_id: orUnset(row.errorFileId),
    ...stamps,
    ...(mode.isoDatesAndProgress
      ? { progress: row.total ? Math.floor((100 * p.done) / row.total) : 0 }
      : { request_counts: { total: row.total, completed: p.completed, failed: p.failed } }),
    metadata: (row.metadata as Record<string, string> | null) ?? null,
  };
}

export async function getBatch(teamId: string, id: string, mode?: SandboxMode) {
  return render(await findBatch(teamId, id, mode));
}

/** Only the batches created within the mode's query window (Bailian: "当前仅支持查询30天之内创建的Batch任务"). */
function queryable(mode: SandboxMode | undefined): Prisma.SandboxBatchWhereInput {
  return mode?.queryDays ? { createdAt: { gte: new Date(Date.now() - mode.queryDays * 86_400_000) } } : {};
}

export async function findBatch(teamId: string, id: string, mode?: SandboxMode) {
  const prisma = await db();
  const row = await prisma.sandboxBatch.findFirst({ where: { id, teamId, ...(mode ? { mode: mode.name } : {}), ...queryable(mode) } });
  if (!row) {
    const older = mode?.queryDays && (await prisma.sandboxBatch.findFirst({ where: { id, teamId, mode: mode.name }, select: { id: true } }));
    throw notFound(older ? `No batch found with id '${id}': only batches created in the last ${mode.queryDays} days can be queried.` : `No batch found with id '${id}'.`, "batch_id");
  }
  return row;
}

/** yyyyMMddHHmmss (Bailian's list filters), read as UTC. */
function compactDate(v: string, param: string) {
  const m = /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})$/.exec(v);
  if (!m) throw badRequest(`Invalid '${param}': expected yyyyMMddHHmmss.`, param);
  return new Date(Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5], +m[6]));
}

/** An ISO 8601 date or date-time (Doubleword's created_after / created_before). */
function isoDate(v: string, param: string) {
  const t = /^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/.test(v) ? Date.parse(v) : NaN;
  if (Number.isNaN(t)) throw badRequest(`Invalid '${param}': expected an ISO 8601 date, e.g. 2026-01-31T00:00:00Z.`, param);
  return new Date(t);
}

export async function listBatches(teamId: string, q: URLSearchParams, mode: SandboxMode = modeOf("openai")) {
  const prisma = await db();
  const where: Prisma.SandboxBatchWhereInput = { teamId, mode: mode.name, ...queryable(mode) };
  if (mode.listAsArray) {
    // Together: a plain array of every batch, no paging.
    const rows = await prisma.sandboxBatch.findMany({ where, orderBy: [{ createdAt: "desc" }, { id: "desc" }] });
    const data = [];
    for (const row of rows) data.push(await render(row));
    return data;
  }
  const filters = mode.listFilters;
  const limit = filters.includes("limit") ? intParam(q, "limit", 20, 1, 100) : 20;
  const after = filters.includes("after") ? q.get("after") : null;
  if (after) {
    const cursor = await prisma.sandboxBatch.findFirst({ where: { id: after, teamId } });
    if (!cursor) throw badRequest(`No batch found for 'after': ${after}`, "after");
    where.AND = afterCursor(cursor, "desc");
  }
  const ids = filters.includes("input_file_ids") ? q.get("input_file_ids") : null;
  if (ids) {
    const list = ids.split(",").map((x) => x.trim()).filter(Boolean);
    if (list.length > 20) throw badRequest("Invalid 'input_file_ids': at most 20 ids.", "input_file_ids");
    where.inputFileId = { in: list };
  }
  const createdAt: Prisma.DateTimeFilter = { ...(where.createdAt as Prisma.DateTimeFilter | undefined) };
  if (filters.includes("created_after") && q.get("created_after")) createdAt.gt = isoDate(q.get("created_after")!, "created_after");
  if (filters.includes("created_before") && q.get("created_before")) createdAt.lt = isoDate(q.get("created_before")!, "created_before");
  if (filters.includes("create_after") && q.get("create_after")) createdAt.gt = compactDate(q.get("create_after")!, "create_after");
  if (filters.includes("create_before") && q.get("create_before")) createdAt.lt = compactDate(q.get("create_before")!, "create_before");
  if (createdAt.gt || createdAt.lt) where.createdAt = createdAt;
  const dsName = filters.includes("ds_name") ? q.get("ds_name") : null;
  const search = filters.includes("search") ? q.get("search")?.toLowerCase() : undefined;
  const statuses = filters.includes("status") ? q.get("status")?.split(",").map((x) => x.trim().toLowerCase()).filter(Boolean) : undefined;
  const data = [];
  let hasMore = false;
  // Status and ds_name are read from the rendered batch: status comes from the clock, not a column.
  for (let cursor: BatchRow | undefined; ; ) {
    const rows: BatchRow[] = await prisma.sandboxBatch.findMany({
      where: cursor ? { AND: [where, afterCursor(cursor, "desc")] } : where,
      orderBy: [{ createdAt: "desc" }, { id: "desc" }],
      take: 100,
    });
    for (const row of rows) {
      const b = await render(row);
      if (statuses && !statuses.includes(String(b.status).toLowerCase())) continue;
      if (dsName && !String(b.metadata?.ds_name ?? "").includes(dsName)) continue;
      if (search && ![b.id, b.input_file_id, ...Object.values(b.metadata ?? {})].some((v) => String(v).toLowerCase().includes(search))) continue;
      if (data.length === limit) {
        hasMore = true;
        break;
      }
      data.push(b);
    }
    if (hasMore || rows.length < 100) break;
    cursor = rows[rows.length - 1];
  }
  return listObject(data, hasMore);
}
