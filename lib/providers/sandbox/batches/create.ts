// The sandbox's Batches API: create (the input is read once, to count and check every line), read
// (status from the clock, see progress.ts), list, cancel, and the one-time writing of the output
// and error files when a batch ends. Contents live in the database (blobs.ts): a batch reads its
// input file's content, which stays while the batch refers to it, even if the file is deleted.
import "server-only";
import crypto from "node:crypto";
import { once } from "node:events";
import { z } from "zod";
import { db, type Db } from "@/lib/db/client";
import { env } from "@/lib/env";
import type { Prisma } from "@/lib/generated/prisma/client";
import { SandboxError, badRequest, notFound } from "@/lib/providers/sandbox/api-error";
import { blobLines, blobWriter, commitResultFile, deleteBlob } from "@/lib/providers/sandbox/blobs";
import { afterCursor, fileContent, fileContentFrom, findFile, intParam, listObject } from "@/lib/providers/sandbox/files";
import { asksToFail, errorLine, outputLine, shuffled } from "@/lib/providers/sandbox/model";
import { modeOf, type SandboxMode } from "@/lib/providers/imitations";
import { progressAt, requestDoneAt, type BatchClock, type Progress, type SandboxStatus } from "@/lib/providers/sandbox/progress";

export const MAX_REQUESTS = 50_000;
/** A failed batch reports this many problems at most, like providers do. */
const MAX_REPORTED_ERRORS = 100;

type BatchRow = Prisma.SandboxBatchGetPayload<object>;
interface LineError {
  code: string;
  message: string;
  param?: string | null;
  line: number | null;
}

const createBatchInput = z.object({
  input_file_id: z.string().min(1),
  endpoint: z.string(),
  completion_window: z.string(),
  metadata: z
    .record(z.string().max(64), z.string().max(512))
    .refine((m) => Object.keys(m).length <= 16, "at most 16 keys")
    .nullish(),
});

/** "24h", "48h", "14d": what the mode's provider accepts (the default mode: 1 hour to 14 days). */
function windowMs(w: string, mode: SandboxMode) {
  const r = mode.window;
  const m = /^(\d+)([hd])$/.exec(w);
  const hours = m && r.units.includes(m[2] as "h" | "d") ? Number(m[1]) * (m[2] === "d" ? 24 : 1) : 0;
  if ((r.values && !r.values.includes(w)) || hours < r.minHours || hours > r.maxHours) {
    const accepted = r.values ? r.values.map((v) => `'${v}'`).join(" or ") : `${r.units.includes("d") ? "hours or days" : "hours"}, e.g. '24h', between ${r.minHours}h and ${r.maxHours}h`;
    throw badRequest(`Invalid 'completion_window': '${w}'. Use ${accepted}.`, "completion_window");
  }
  return hours * 3_600_000;
}

/** The test knobs a batch may carry in its metadata (listed at the top of server.ts). */
function knob(meta: Record<string, string> | null | undefined, key: string, min: number, max: number) {
  const raw = meta?.[key];
  if (raw === undefined) return undefined;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min || n > max) {
    throw badRequest(`Invalid metadata '${key}': expected an integer from ${min} to ${max}.`, `metadata.${key}`);
  }
  return n;
}

export async function createBatch(teamId: string, json: unknown, mode: SandboxMode = modeOf("openai")) {
  const parsed = createBatchInput.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const param = issue.path.join(".") || null;
    throw badRequest(`Invalid '${param ?? "body"}': ${issue.message}`, param);
  }
  const input = parsed.data;
  if (!mode.endpoints.includes(input.endpoint)) {
    throw badRequest(`Invalid 'endpoint': '${input.endpoint}'. Supported: ${mode.endpoints.join(", ")}.`, "endpoint");
  }
  const windowLength = windowMs(input.completion_window, mode);
  const meta = input.metadata ?? null;
  for (const [key, max] of Object.entries(mode.metadataKeyMax)) {
    const v = meta?.[key];
    if (v !== undefined && v.length > max) throw badRequest(`Invalid 'metadata.${key}': at most ${max} characters.`, `metadata.${key}`);
  }
  const msPerRequest = knob(meta, "sandbox_ms_per_request", 0, 3_600_000) ?? env().SANDBOX_MS_PER_REQUEST;
  const expiresAfterMs = knob(meta, "sandbox_expire_after_ms", 0, 336 * 3_600_000) ?? windowLength;
  const failEvery = knob(meta, "sandbox_fail_every", 1, MAX_REQUESTS);

  const file = await findFile(teamId, input.input_file_id).catch((err) => {
    if (!(err instanceof SandboxError)) throw err;
    throw badRequest(`Invalid 'input_file_id': '${input.input_file_id}'. No such File object.`, "input_file_id");
  });
  if (file.purpose !== mode.batchPurpose) {
    throw badRequest(`The input file must have purpose '${mode.batchPurpose}', not '${file.purpose}'.`, "input_file_id");
  }
  const test = mode.testEndpoint?.endpoint === input.endpoint ? mode.testEndpoint : undefined;
  if (test && (file.lines > test.maxLines || file.bytes > test.maxBytes)) {
    throw badRequest(`Files for ${test.model} may have at most ${test.maxLines} lines and ${test.maxBytes} bytes.`, "input_file_id");
  }

  const id = mode.batchId();
  const prisma = await db();
  const scan = await scanInput(prisma, file.id, input.endpoint, failEvery, mode);
  const row = await prisma.sandboxBatch.create({
    data: {
      id,
      teamId,
      mode: mode.name,
      // Providers with partial results name the result files from the start.
      ...(mode.partialResults && !scan.errors.length
        ? { outputFileId: mode.resultFileId(id, "output"), errorFileId: mode.resultFileId(id, "error") }
        : {}),
      inputFileId: file.id,
      endpoint: input.endpoint,
      completionWindow: input.completion_window,
      metadata: meta ?? undefined,
      // A valid batch has at least one request, so total 0 marks a batch that failed validation.
      total: scan.errors.length ? 0 : scan.total,
      failedLines: scan.errors.length ? [] : scan.failedIndexes,
      errors: scan.errors.length ? (scan.errors as unknown as Prisma.InputJsonValue) : undefined,
      msPerRequest,
      expiresAfterMs,
      createdAt: new Date(),
    },
  });
  // The batch keeps the input's content from now on (deleteFileContent spares it). A delete of the
  // file that came first has taken the content: then there is no such file after all.
  if (!(await prisma.sandboxFile.findUnique({ where: { id: file.id }, select: { id: true } }))) {
    await prisma.sandboxBatch.delete({ where: { id } });
    throw badRequest(`Invalid 'input_file_id': '${input.input_file_id}'. No such File object.`, "input_file_id");
  }
  return render(row);
}

/** The non-blank lines of a stored JSONL file with their 1-based line numbers, streamed. */
async function* jsonlLines(prisma: Db, fileId: string) {
  let line = 0;
  for await (const text of blobLines(prisma, fileId)) {
    line++;
    if (text.trim()) yield { line, text };
  }
}

/** Reads the input once: counts requests, checks each line as a provider would, picks the failures. */
async function scanInput(prisma: Db, fileId: string, endpoint: string, failEvery: number | undefined, mode: SandboxMode) {
  const errors: LineError[] = [];
  const failedIndexes: number[] = [];
  const seen = new Set<string>();
  let total = 0;
  let model: string | undefined;
  for await (const { line, text } of jsonlLines(prisma, fileId)) {
    const checked = checkLine(text, endpoint, seen, mode);
    if (!("error" in checked)) {
      const m = String(checked.body.model);
      const test = mode.testEndpoint;
      if (test && (endpoint === test.endpoint) !== (m === test.model)) {
        errors.push({ code: "invalid_model", message: `The model '${m}' cannot be used with the endpoint '${endpoint}'.`, param: "body.model", line });
      } else if (mode.oneModel && model !== undefined && m !== model) {
        errors.push({ code: "model_mismatch", message: `All requests of a batch must use one model: '${m}' differs from '${model}'.`, param: "body.model", line });
      }
      model ??= m;
      if (errors.length >= MAX_REPORTED_ERRORS) break;
    }
    if ("error" in checked) {
      errors.push({ ...checked.error, line });
      if (errors.length >= MAX_REPORTED_ERRORS) break;
      continue;
    }
    if (asksToFail(checked.body) || (failEvery && (total + 1) % failEvery === 0)) failedIndexes.push(total);
    total++;
  }
  if (!errors.length && total === 0) errors.push({ code: "empty_file", message: "The input file has no requests.", line: null });
  if (total > MAX_REQUESTS) {
    errors.push({ code: "too_many_requests", message: `A batch may hold at most ${MAX_REQUESTS} requests; this file has ${total}.`, line: null });
  }
  return { total, failedIndexes, errors };
}

type Checked = { body: Record<string, unknown> } | { error: Omit<LineError, "line"> };

/** A line's body when the line is good, otherwise what is wrong with it. */
function checkLine(text: string, endpoint: string, seen: Set<string>, mode: SandboxMode): Checked {
  const fail = (code: string, message: string, param: string | null = null): Checked => ({ error: { code, message, param } });
  let obj: unknown;
  try {
    obj = JSON.parse(text);
  } catch {
    return fail("invalid_json_line", "This line is not valid JSON.");
  }
  if (!obj || typeof obj !== "object" || Array.isArray(obj)) return fail("invalid_json_line", "This line is not a JSON object.");
  const o = obj as Record<string, unknown>;
  if (typeof o.custom_id !== "string" || !o.custom_id) return fail("missing_required_parameter", "Missing 'custom_id'.", "custom_id");
  if (mode.maxCustomIdLength && o.custom_id.length > mode.maxCustomIdLength) {
    return fail("invalid_custom_id", `'custom_id' may have at most ${mode.maxCustomIdLength} characters.`, "custom_id");
  }
  if (mode.maxLineBytes && Buffer.byteLength(text) > mode.maxLineBytes) return fail("line_too_large", `A line may have at most ${mode.maxLineBytes} bytes.`);
  if (seen.has(o.custom_id)) {
    return fail("duplicate_custom_id", `The custom_id '${o.custom_id}' is used more than once.`, "custom_id");
  }
  seen.add(o.custom_id);
  if (o.method !== "POST") return fail("invalid_method", "'method' must be 'POST'.", "method");
  if (o.url !== endpoint) {
    return fail("mismatched_url", `The url '${String(o.url)}' does not match the batch's endpoint '${endpoint}'.`, "url");
  }
  if (!o.body || typeof o.body !== "object" || Array.isArray(o.body)) return fail("missing_required_parameter", "Missing 'body'.", "body");
  return { body: o.body as Record<string, unknown> };
}

function clockOf(row: BatchRow): BatchClock {
  return {
    createdAt: row.createdAt.getTime(),
    total: row.total,
    msPerRequest: row.msPerRequest,
    expiresAfterMs: row.expiresAfterMs,
    cancelledAt: row.cancelledAt?.getTime() ?? null,
    invalid: row.total === 0,
    failedIndexes: row.failedLines,
  };
}

/** The status as the mode's provider spells it. */
function spell(mode: SandboxMode, status: SandboxStatus): string {
  let st: string = status;
  if (mode.neverExpired && st === "expired") st = "completed";
  if (mode.upperCaseStatuses) {
    // Together: no finalizing phase of its own, and "CANCELING" with one L.
    if (st === "finalizing") st = "in_progress";
    if (st === "cancelling") st = "canceling";
    st = st.toUpperCase();
  }
  return st;
}

async function render(row: BatchRow, now = Date.now()) {
  const mode = modeOf(row.mode);
  const p = progressAt(clockOf(row), now);
  if (p.hasResults && !row.finalized) row = await finalizeOnce(row, p);
  const sec = (ms: number | undefined) => (ms === undefined ? undefined : Math.floor(ms / 1000));
  let errors: { object: "list"; data: LineError[] } | undefined;
  if (p.status === "failed") errors = { object: "list", data: (row.errors as unknown as LineError[] | null) ?? [] };
  // A provider that never says "expired" ends such a batch as completed, the rest as errors.
  const expiredAsCompleted = mode.neverExpired && p.status === "expired";
  const times = {
    created_at: row.createdAt.getTime(),
    in_progress_at: p.inProgressAt,
    expires_at: p.expiresAt,
    finalizing_at: p.finalizingAt,
    completed_at: expiredAsCompleted ? p.expiredAt : p.completedAt,
    failed_at: p.failedAt,
    expired_at: expiredAsCompleted ? undefined : p.expiredAt,
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

async function findBatch(teamId: string, id: string, mode?: SandboxMode) {
  const prisma = await db();
  const row = await prisma.sandboxBatch.findFirst({ where: { id, teamId, ...(mode ? { mode: mode.name } : {}) } });
  if (!row) throw notFound(`No batch found with id '${id}'.`, "batch_id");
  return row;
}

/** yyyyMMddHHmmss (Bailian's list filters), read as UTC. */
function compactDate(v: string, param: string) {
  const m = /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})$/.exec(v);
  if (!m) throw badRequest(`Invalid '${param}': expected yyyyMMddHHmmss.`, param);
  return new Date(Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5], +m[6]));
}

export async function listBatches(teamId: string, q: URLSearchParams, mode: SandboxMode = modeOf("openai")) {
  const prisma = await db();
  const where: Prisma.SandboxBatchWhereInput = { teamId, mode: mode.name };
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
  const createdAt: Prisma.DateTimeFilter = {};
  if (filters.includes("create_after") && q.get("create_after")) createdAt.gt = compactDate(q.get("create_after")!, "create_after");
  if (filters.includes("create_before") && q.get("create_before")) createdAt.lt = compactDate(q.get("create_before")!, "create_before");
  if (createdAt.gt || createdAt.lt) where.createdAt = createdAt;
  const dsName = filters.includes("ds_name") ? q.get("ds_name") : null;
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

export async function cancelBatch(teamId: string, id: string, mode?: SandboxMode) {
  const row = await findBatch(teamId, id, mode);
  const now = Date.now();
  const { status } = progressAt(clockOf(row), now);
  if (status === "cancelling" || status === "cancelled") return render(row, now);
  if (status !== "validating" && status !== "in_progress") {
    throw badRequest(`Cannot cancel a batch with status '${spell(modeOf(row.mode), status)}'.`, null, "batch_not_cancellable");
  }
  const prisma = await db();
  // Only the first cancel sets the time: a second one (or a second instance) changes nothing.
  await prisma.sandboxBatch.updateMany({ where: { id, teamId, cancelledAt: null }, data: { cancelledAt: new Date(now) } });
  return render(await findBatch(teamId, id));
}

/**
 * GET /files/{id}/content. In modes with partial results (Doubleword) a result file can be read
 * while its batch runs: the lines so far, with `X-Incomplete: true` and `X-Last-Line: N`; `?offset=`
 * or `?skip=` resumes after the lines already read.
 */
export async function resultContent(teamId: string, fileId: string, q: URLSearchParams, mode: SandboxMode) {
  const skipRaw = q.get("offset") ?? q.get("skip");
  const skip = skipRaw === null ? 0 : intParam(new URLSearchParams({ skip: skipRaw }), "skip", 0, 0, 10_000_000);
  if (!mode.partialResults) return fileContent(teamId, fileId);
  const prisma = await db();
  const row = await prisma.sandboxBatch.findFirst({ where: { teamId, OR: [{ outputFileId: fileId }, { errorFileId: fileId }] } });
  if (row) {
    const p = progressAt(clockOf(row), Date.now());
    if (p.hasResults) await render(row); // writes the final files once
    else {
      const kind = row.outputFileId === fileId ? "output" : "error";
      const lines: string[] = [];
      for await (const l of resultLines(row, p)) if (l.kind === kind) lines.push(l.text);
      const rest = lines.slice(skip);
      return new Response(rest.map((l) => `${l}\n`).join(""), {
        headers: { "content-type": "application/octet-stream", "x-incomplete": "true", "x-last-line": String(skip + rest.length) },
      });
    }
  }
  const file = await findFile(teamId, fileId);
  if (skip === 0) {
    const res = await fileContent(teamId, fileId);
    res.headers.set("x-last-line", String(file.lines));
    return res;
  }
  return fileContentFrom(file, skip, {});
}

/** Finalizations under way in this process: concurrent polls of one batch share the work. */
const finalizing = new Map<string, Promise<BatchRow>>();

function finalizeOnce(row: BatchRow, p: Progress) {
  let job = finalizing.get(row.id);
  if (!job) {
    job = writeResults(row, p).finally(() => finalizing.delete(row.id));
    finalizing.set(row.id, job);
  }
  return job;
}

/**
 * Writes the output and error files of an ended batch and records their ids. Safe to run twice,
 * even from two instances at once: ids and content are derived from the batch alone, and each file
 * is written under an id of its own, then put into place with its row in one statement
 * (commitResultFile: the first wins).
 */
async function writeResults(row: BatchRow, p: Progress): Promise<BatchRow> {
  const prisma = await db();
  const mode = modeOf(row.mode);
  const expired = p.status === "expired";
  const errorCount = p.failed + (expired ? row.total - p.done : 0);
  // Modes with partial results named both files at creation: both exist, even empty.
  const files = {
    output: p.completed > 0 || (mode.partialResults && row.outputFileId) ? resultFile(prisma, row, "output") : null,
    error: errorCount > 0 || (mode.partialResults && row.errorFileId) ? resultFile(prisma, row, "error") : null,
  };
  if (files.output || files.error) {
    const lines = () => resultLines(row, p);
    const open = [files.output, files.error].filter((f) => f !== null);
    try {
      for await (const { kind, text } of mode.ordered ? lines() : shuffled(lines(), row.id)) {
        const f = files[kind];
        if (f) await f.write(`${text}\n`);
      }
      const done = [];
      for (const f of open) done.push(await f.close());
      for (const d of done) await commitResultFile(prisma, d.tmpId, d.file);
    } catch (err) {
      await Promise.all(open.map((f) => f.abort()));
      throw err;
    }
  }
  return prisma.sandboxBatch.update({
    where: { id: row.id },
    data: { finalized: true, outputFileId: files.output?.id ?? null, errorFileId: files.error?.id ?? null },
  });
}

/** The result lines of the requests done so far (all of them once the batch is over), in input order. */
async function* resultLines(row: BatchRow, p: Progress) {
  const clock = clockOf(row);
  const expired = p.status === "expired";
  const failed = new Set(row.failedLines);
  let index = 0;
  for await (const { text } of jsonlLines(await db(), row.inputFileId)) {
    const i = index++;
    const req = JSON.parse(text) as { custom_id: string; body: Record<string, unknown> };
    if (i >= p.done) {
      if (expired) yield { kind: "error" as const, text: errorLine(row.id, req.custom_id, "expired") };
      continue;
    }
    if (failed.has(i)) {
      yield { kind: "error" as const, text: errorLine(row.id, req.custom_id, "failed") };
      continue;
    }
    const ctx = { seed: `${row.id}:${req.custom_id}`, index: i, created: Math.floor(requestDoneAt(clock, i) / 1000) };
    yield { kind: "output" as const, text: outputLine(row.id, req.custom_id, row.endpoint, req.body, ctx) };
  }
}

function resultFile(prisma: Db, row: BatchRow, kind: "output" | "error") {
  const id = (kind === "output" ? row.outputFileId : row.errorFileId) ?? modeOf(row.mode).resultFileId(row.id, kind);
  const tmpId = `${id}.${crypto.randomUUID()}.tmp`;
  const out = blobWriter(prisma, tmpId);
  let bytes = 0;
  let lines = 0;
  return {
    id,
    async write(s: string) {
      bytes += Buffer.byteLength(s);
      lines++;
      if (!out.write(s)) await once(out, "drain");
    },
    async abort() {
      out.destroy();
      await deleteBlob(prisma, tmpId);
    },
    async close() {
      out.end();
      await once(out, "finish");
      return { tmpId, file: { id, teamId: row.teamId, filename: `${row.id}_${kind}.jsonl`, purpose: "batch_output", bytes, lines } };
    },
  };
}
