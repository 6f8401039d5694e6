// Batchboard's OpenAI-compatible API at /api/v1 (docs/api.md): files (upload with purpose=batch,
// list, retrieve, content, delete) and batches (create, retrieve, list with limit/after, cancel),
// answered in the shapes of OpenAI's spec, so the official SDKs work with a base URL and a team
// token. A thin layer over what the browser uses: the upload is lib/files/upload.ts's (the same
// streaming check), a launch is launchBatch or launchJob, a cancel cancelBatch or cancelJob, and
// output and error files are the stored results (lib/results/export.ts), so they outlive the
// provider's retention. A job (a file split over the provider's limits) is one batch here: its id,
// its parts' counts summed, its status as the job page shows it, its output the parts' in order.
import "server-only";
import crypto from "node:crypto";
import { Readable } from "node:stream";
import { z } from "zod";
import { cancelBatch } from "@/lib/batches/engine/cancel";
import { launchBatch } from "@/lib/batches/engine/launch";
import { scopedKey } from "@/lib/batches/engine/rows";
import { cancelJob, jobIdFor, launchJob, planSplit, readSettings } from "@/lib/batches/jobs";
import { jobStatus } from "@/lib/batches/read/job-view";
import { batchMetadata } from "@/lib/batches/schemas";
import { db, type Db } from "@/lib/db/client";

import { deleteFile } from "@/lib/files/delete";
import { handleUpload } from "@/lib/files/upload";
import type { ImportedFile, UploadEvent } from "@/lib/files/types";
import type { Batch, BatchStatus } from "@/lib/generated/prisma/client";
import { noStore } from "@/lib/http/respond";
import { kindsSpeaking } from "@/lib/providers/profiles";
import { log } from "@/lib/log";
import { resultsJsonl } from "@/lib/results/export";
import { checkSpendCap } from "./spend";
import { addressOf, chooseConnection, CONNECTION_METADATA_KEY, jsonBody, nulIn, serveApi, ApiError } from "./guard";
import type { ApiCaller } from "./tokens";

const OUTPUT_PREFIX = "file-output-";
const ERROR_PREFIX = "file-errors-";

// ------------------------------------------------------------------------------------- answers

type ErrorType = "invalid_request_error" | "authentication_error" | "permission_error" | "not_found_error" | "rate_limit_error" | "server_error";

/** OpenAI's error shape, {error: {message, type, param, code}}: the SDKs turn it into their typed errors. */
export function apiError(status: number, message: string, opts: { type?: ErrorType; param?: string | null; code?: string | null; headers?: Record<string, string> } = {}): Response {
  const type = opts.type ?? (status === 401 ? "authentication_error" : status === 403 ? "permission_error" : status === 404 ? "not_found_error" : status === 429 ? "rate_limit_error" : status >= 500 ? "server_error" : "invalid_request_error");
  return Response.json({ error: { message, type, param: opts.param ?? null, code: opts.code ?? null } }, { status, headers: { ...noStore, ...opts.headers } });
}

const ok = (data: unknown) => Response.json(data, { headers: noStore });
const unix = (d: Date | null | undefined) => (d ? Math.floor(d.getTime() / 1000) : undefined);
const defined = <T extends object>(o: T) => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined && v !== null)) as Partial<T>;

/** Our status as OpenAI spells it; a launch the provider has not answered yet is "validating". */
function statusOf(s: BatchStatus) {
  return s === "LAUNCHING" ? "validating" : s.toLowerCase();
}

// --------------------------------------------------------------------------------------- files

interface FileRow {
  id: string;
  name: string;
  bytes: bigint;
  createdAt: Date;
}

function fileObject(f: FileRow) {
  return { id: f.id, object: "file", bytes: Number(f.bytes), created_at: unix(f.createdAt)!, filename: f.name, purpose: "batch", status: "processed" };
}

async function uploadFile(request: Request, caller: ApiCaller): Promise<Response> {
  const res = await handleUpload(request, { teamId: caller.team.id, userId: caller.user.id }, { openaiForm: true });
  if (res.status !== 200) {
    const body = (await res.json().catch(() => ({}))) as { error?: string };
    const retry = res.headers.get("retry-after");
    // The upload's refusals name a field in their first word ("purpose must be ..."); the rest are the file's.
    return apiError(res.status === 499 ? 400 : res.status, body.error ?? "The upload failed.", { param: body.error?.startsWith("purpose ") ? "purpose" : "file", headers: retry ? { "retry-after": retry } : undefined });
  }
  // The browser reads progress as it comes; a client of the API waits for the end.
  let done: ImportedFile | undefined;
  let failure: string | undefined;
  const text = await res.text();
  for (const line of text.split("\n")) {
    if (!line.trim()) continue;
    const e = JSON.parse(line) as UploadEvent;
    if (e.type === "done") done = e.file as ImportedFile;
    else if (e.type === "error") failure = e.message;
  }
  if (!done) return apiError(400, failure ?? "The upload failed.", { param: "file" });
  if (done.status !== "valid") {
    const prisma = await db();
    // A file with problems is not kept for the API: its answer lists them, and nothing can launch it.
    await prisma.inputFile.deleteMany({ where: { id: done.id, teamId: caller.team.id, batches: { none: {} } } });
    const shown = done.problems.slice(0, 10).map((p) => `line ${p.line}${p.field ? ` (${p.field})` : ""}: ${p.message}`);
    const more = done.problemCount > shown.length ? ` (and ${done.problemCount - shown.length} more)` : "";
    const first = done.problems[0];
    return apiError(400, `The file has ${done.problemCount} problem${done.problemCount === 1 ? "" : "s"}${more}: ${shown.join("; ")}`, {
      param: first ? `line ${first.line}` : "file",
      code: "invalid_file",
    });
  }
  const prisma = await db();
  const row = await prisma.inputFile.findUniqueOrThrow({ where: { id: done.id } });
  return ok(fileObject(row));
}

async function listFiles(prisma: Db, caller: ApiCaller, url: URL): Promise<Response> {
  const limit = limitOf(url, 10_000, 10_000);
  const after = url.searchParams.get("after");
  const order = url.searchParams.get("order") === "asc" ? "asc" : "desc";
  const where = { teamId: caller.team.id, status: "valid" };
  const cursor = after ? await prisma.inputFile.findFirst({ where: { ...where, id: after }, select: { id: true, createdAt: true } }) : null;
  if (after && !cursor) return apiError(404, `No file ${after} to list after.`, { param: "after" });
  const rows = await prisma.inputFile.findMany({
    where: cursor ? { ...where, OR: [{ createdAt: order === "desc" ? { lt: cursor.createdAt } : { gt: cursor.createdAt } }, { createdAt: cursor.createdAt, id: order === "desc" ? { lt: cursor.id } : { gt: cursor.id } }] } : where,
    orderBy: [{ createdAt: order }, { id: order }],
    take: limit + 1,
    select: { id: true, name: true, bytes: true, createdAt: true },
  });
  const data = rows.slice(0, limit).map(fileObject);
  return ok({ object: "list", data, first_id: data[0]?.id ?? "", last_id: data.at(-1)?.id ?? "", has_more: rows.length > limit });
}

/** The batch or job whose stored results an output or error file id names. */
async function resultFile(prisma: Db, caller: ApiCaller, id: string) {
  const which = id.startsWith(OUTPUT_PREFIX) ? ("output" as const) : id.startsWith(ERROR_PREFIX) ? ("errors" as const) : null;
  if (!which) return null;
  const target = await findTarget(prisma, caller, id.slice(which === "output" ? OUTPUT_PREFIX.length : ERROR_PREFIX.length));
  if (!target) return null;
  const obj = await batchObject(prisma, target);
  if ((which === "output" ? obj.output_file_id : obj.error_file_id) !== id) return null;
  return { which, target, obj };
}

async function retrieveFile(prisma: Db, caller: ApiCaller, id: string): Promise<Response> {
  const f = await prisma.inputFile.findFirst({ where: { id, teamId: caller.team.id, status: "valid" }, select: { id: true, name: true, bytes: true, createdAt: true } });
  if (f) return ok(fileObject(f));
  const r = await resultFile(prisma, caller, id);
  if (!r) return apiError(404, `No such file: ${id}`, { param: "file_id" });
  const parts = r.target.parts;
  const bytes = await resultBytes(prisma, parts.map((p) => p.id), r.which === "output");
  const name = parts[0]?.name ?? "batch";
  return ok({ id, object: "file", bytes, created_at: unix(r.target.createdAt)!, filename: `${name}_${r.which === "output" ? "output" : "errors"}.jsonl`, purpose: "batch_output", status: "processed" });
}

async function resultBytes(prisma: Db, batchIds: string[], succeeded: boolean): Promise<number> {
  const rows = await prisma.$queryRaw<{ n: bigint | number | null }[]>`
    SELECT SUM(octet_length("raw"::text) + 1) AS n FROM "Result" WHERE "batchId" = ANY(${batchIds}) AND "succeeded" = ${succeeded}`;
  return Number(rows[0]?.n ?? 0);
}

async function fileContent(prisma: Db, caller: ApiCaller, id: string): Promise<Response> {
  const headers = { ...noStore, "content-type": "application/jsonl" };
  const f = await prisma.inputFile.findFirst({ where: { id, teamId: caller.team.id, status: "valid" }, select: { id: true, endpoint: true } });
  if (f) return new Response(Readable.toWeb(inputLines(prisma, f.id, f.endpoint)) as ReadableStream<Uint8Array>, { headers });
  const r = await resultFile(prisma, caller, id);
  if (!r) return apiError(404, `No such file: ${id}`, { param: "file_id" });
  const ids = r.target.parts.map((p) => p.id);
  const body = Readable.from(
    (async function* () {
      for (const batchId of ids) for await (const chunk of resultsJsonl(prisma, batchId, r.which)) yield chunk as Buffer;
    })(),
  );
  return new Response(Readable.toWeb(body) as ReadableStream<Uint8Array>, { headers });
}

/** An uploaded file as its requests were stored, a line each, in the file's order. */
function inputLines(prisma: Db, fileId: string, endpoint: string): Readable {
  return Readable.from(
    (async function* () {
      let after = 0;
      for (;;) {
        const rows = await prisma.request.findMany({ where: { fileId, line: { gt: after } }, orderBy: { line: "asc" }, take: 1000, select: { line: true, customId: true, body: true } });
        if (rows.length === 0) return;
        yield rows.map((r) => JSON.stringify({ custom_id: r.customId, method: "POST", url: endpoint, body: r.body }) + "\n").join("");
        after = rows[rows.length - 1].line;
      }
    })(),
  );
}

async function removeFile(prisma: Db, caller: ApiCaller, id: string): Promise<Response> {
  await deleteFile(prisma, caller, id);
  return ok({ id, object: "file", deleted: true });
}

// ------------------------------------------------------------------------------------- batches

type Part = Pick<
  Batch,
  | "id" | "name" | "status" | "endpoint" | "completionWindow" | "inputFileId" | "total" | "completed" | "failed" | "errors" | "createdAt" | "inProgressAt" | "finalizingAt"
  | "completedAt" | "failedAt" | "expiredAt" | "cancellingAt" | "cancelledAt" | "expiresAt" | "resultsIngestedAt" | "jobId"
>;

/** What the API calls a batch: one Batch, or a job's parts. */
interface Target {
  id: string;
  kind: "batch" | "job";
  createdAt: Date;
  inputFileId: string;
  parts: Part[];
  metadata: Record<string, string> | null;
}

const partSelect = {
  id: true, name: true, status: true, endpoint: true, completionWindow: true, inputFileId: true, total: true, completed: true, failed: true, errors: true, createdAt: true, inProgressAt: true,
  finalizingAt: true, completedAt: true, failedAt: true, expiredAt: true, cancellingAt: true, cancelledAt: true, expiresAt: true, resultsIngestedAt: true, jobId: true,
} as const;

/**
 * This API's batches: those on connections that speak OpenAI's batch protocol. A Message Batch made
 * through the Anthropic API (lib/api/anthropic.ts) is listed there, in Anthropic's shapes: its
 * results are Anthropic's lines, which no OpenAI client could read as an output file.
 */
const openAiBatches = () => ({ connection: { kind: { in: kindsSpeaking("openai-batch") } } });

const pairs = (v: unknown) => (v && typeof v === "object" && !Array.isArray(v) && Object.keys(v).length ? (v as Record<string, string>) : null);

/** A batch (not a job's part) or a job of the caller's team; null for anything else. */
async function findTarget(prisma: Db, caller: ApiCaller, id: string): Promise<Target | null> {
  const b = await prisma.batch.findFirst({ where: { id, teamId: caller.team.id, jobId: null, ...openAiBatches() }, select: { ...partSelect, metadata: true } });
  if (b) return { id: b.id, kind: "batch", createdAt: b.createdAt, inputFileId: b.inputFileId, parts: [b], metadata: pairs(b.metadata) };
  const j = await prisma.job.findFirst({
    where: { id, teamId: caller.team.id },
    select: { id: true, createdAt: true, inputFileId: true, settings: true, batches: { select: partSelect, orderBy: { jobPart: "asc" } } },
  });
  if (j) return { id: j.id, kind: "job", createdAt: j.createdAt, inputFileId: j.inputFileId, parts: j.batches, metadata: pairs(readSettings(j.settings)?.metadata) };
  return null;
}

const TERMINAL: BatchStatus[] = ["COMPLETED", "FAILED", "EXPIRED", "CANCELLED"];
const earliest = (ds: (Date | null)[]) => unix(ds.filter((d): d is Date => !!d).sort((a, b) => a.getTime() - b.getTime())[0]);
const latest = (ds: (Date | null)[]) => unix(ds.filter((d): d is Date => !!d).sort((a, b) => b.getTime() - a.getTime())[0]);

/** OpenAI's Batch object for a batch or a job. Output and error files exist once every part's results are stored. */
async function batchObject(prisma: Db, t: Target) {
  const parts = t.parts;
  const status = t.kind === "job" ? jobStatus(parts) : parts[0].status;
  const over = parts.length > 0 && parts.every((p) => TERMINAL.includes(p.status) && p.resultsIngestedAt);
  let outputFileId: string | undefined;
  let errorFileId: string | undefined;
  if (over) {
    const counts = await prisma.result.groupBy({ by: ["succeeded"], where: { batchId: { in: parts.map((p) => p.id) } }, _count: true });
    if (counts.some((c) => c.succeeded && c._count > 0)) outputFileId = OUTPUT_PREFIX + t.id;
    if (counts.some((c) => !c.succeeded && c._count > 0)) errorFileId = ERROR_PREFIX + t.id;
  }
  const errors = parts.flatMap((p) => {
    const e = p.errors as { data?: unknown[] } | null;
    return Array.isArray(e?.data) ? (e.data as object[]) : [];
  });
  const when = (k: keyof Part, pick: typeof earliest) => (parts.some((p) => p[k]) ? pick(parts.map((p) => p[k] as Date | null)) : undefined);
  const first = parts[0];
  return defined({
    id: t.id,
    object: "batch",
    endpoint: first?.endpoint ?? "/v1/chat/completions",
    errors: errors.length ? { object: "list", data: errors } : undefined,
    input_file_id: t.inputFileId,
    completion_window: first?.completionWindow ?? "24h",
    status: statusOf(status),
    output_file_id: outputFileId,
    error_file_id: errorFileId,
    created_at: unix(t.createdAt)!,
    in_progress_at: when("inProgressAt", earliest),
    expires_at: when("expiresAt", earliest),
    finalizing_at: when("finalizingAt", latest),
    completed_at: status === "COMPLETED" ? when("completedAt", latest) : undefined,
    failed_at: status === "FAILED" ? when("failedAt", latest) : undefined,
    expired_at: status === "EXPIRED" ? when("expiredAt", latest) : undefined,
    cancelling_at: when("cancellingAt", earliest),
    cancelled_at: status === "CANCELLED" ? when("cancelledAt", latest) : undefined,
    request_counts: {
      total: parts.reduce((s, p) => s + p.total, 0),
      completed: parts.reduce((s, p) => s + p.completed, 0),
      failed: parts.reduce((s, p) => s + p.failed, 0),
    },
    metadata: t.metadata ?? undefined,
  });
}

/** A required string field: "endpoint is required." when it is missing or empty, else what it should be. */
const required = (name: string) =>
  z.string({ error: (iss) => (iss.input === undefined || iss.input === null ? `${name} is required.` : `${name} must be a string.`) }).min(1, `${name} is required.`);

const createBatchBody = z.object({
  input_file_id: required("input_file_id"),
  endpoint: required("endpoint"),
  completion_window: required("completion_window"),
  metadata: z.record(z.string(), z.string({ error: "metadata values must be strings." })).nullish(),
});

/** A batch create is a few hundred bytes; its metadata at most 16 pairs of 512 characters. */
const MAX_CREATE_BYTES = 64 * 1024;

async function createBatch(prisma: Db, caller: ApiCaller, request: Request): Promise<Response> {
  const json = await jsonBody(request, MAX_CREATE_BYTES, `The body is over ${MAX_CREATE_BYTES / 1024} KB: a batch is created from an uploaded file's id, not from its requests.`);
  const nul = nulIn(json);
  if (nul) return apiError(400, `${nul} holds a NUL character (\\u0000), which no id, name or metadata may hold.`, { param: nul });
  const parsed = createBatchBody.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return apiError(400, issue.message, { param: issue.path.join(".") || null });
  }
  const body = parsed.data;
  const metadata = body.metadata ?? {};
  const file = await prisma.inputFile.findFirst({ where: { id: body.input_file_id, teamId: caller.team.id, status: "valid" }, select: { id: true, name: true, endpoint: true } });
  if (!file) return apiError(404, `No such file: ${body.input_file_id}`, { param: "input_file_id" });
  if (body.endpoint !== file.endpoint) return apiError(400, `The file's requests are for ${file.endpoint}, not ${body.endpoint}.`, { param: "endpoint" });
  const conn = await chooseConnection(prisma, caller, request, { named: metadata[CONNECTION_METADATA_KEY] });
  await checkSpendCap(prisma, { id: caller.token.id, spendCapUsd: caller.spendCapUsd }, caller.team.id, { fileId: file.id, kind: conn.kind, window: body.completion_window });
  // Batchboard's own keys stay here; the rest goes to the provider with the batch.
  const sent = Object.fromEntries(Object.entries(metadata).filter(([k]) => !k.startsWith("batchboard_")));
  const extra = batchMetadata.safeParse(sent);
  if (!extra.success) return apiError(400, extra.error.issues[0].message, { param: "metadata" });
  const name = metadata.batchboard_name?.trim() || metadata.name?.trim() || file.name;
  // A client may send an Idempotency-Key (the header Stripe's and the IETF draft's clients send) so
  // that a retried create makes one batch; without one every call is new.
  const idem = request.headers.get("idempotency-key");
  const key = idem ? `api:${caller.token.id}:${crypto.createHash("sha256").update(idem).digest("hex").slice(0, 40)}` : `api:${crypto.randomUUID()}`;
  const input = {
    connectionId: conn.id,
    inputFileId: file.id,
    endpoint: body.endpoint,
    completionWindow: body.completion_window,
    name: name.slice(0, 200),
    idempotencyKey: key,
    metadata: Object.keys(extra.data).length ? extra.data : undefined,
  };
  if (idem) await sameAsBefore(prisma, caller, key, input);
  const plan = await planSplit({ connectionId: conn.id, inputFileId: file.id, endpoint: body.endpoint }, caller).catch(() => null);
  let id: string;
  if (plan && plan.parts.length > 1) {
    const out = await launchJob(input, caller);
    if (out.refused) log.warn("api.job_part_refused", { jobId: out.jobId, part: out.refused.part });
    id = out.jobId;
  } else {
    id = (await launchBatch(input, caller)).batchId;
  }
  const t = await findTarget(prisma, caller, id);
  if (!t) throw new Error(`launched ${id} not found`);
  return ok(await batchObject(prisma, t));
}

/**
 * An Idempotency-Key used again answers the batch its first use made, but only for the same
 * request: the same key with another file, endpoint, window, connection or metadata is refused
 * (422, as the IETF's Idempotency-Key draft says) rather than answered with a batch the caller did
 * not ask for.
 */
async function sameAsBefore(
  prisma: Db,
  caller: ApiCaller,
  key: string,
  asked: { connectionId: string; inputFileId: string; endpoint: string; completionWindow: string; metadata?: Record<string, string> },
) {
  const b = await prisma.batch.findUnique({
    where: { idempotencyKey: scopedKey(caller.team.id, key) },
    select: { connectionId: true, inputFileId: true, endpoint: true, completionWindow: true, metadata: true },
  });
  const j = b ? null : await prisma.job.findFirst({ where: { id: jobIdFor(caller.team.id, key), teamId: caller.team.id }, select: { inputFileId: true, settings: true } });
  const s = j ? readSettings(j.settings) : null;
  const before = b ? { ...b, metadata: pairs(b.metadata) } : j && s ? { connectionId: s.connectionId, inputFileId: j.inputFileId, endpoint: s.endpoint, completionWindow: s.completionWindow, metadata: pairs(s.metadata) } : null;
  if (!before) return;
  const same = (x: Record<string, string> | null | undefined, y: Record<string, string> | null | undefined) => JSON.stringify(Object.entries(x ?? {}).sort()) === JSON.stringify(Object.entries(y ?? {}).sort());
  const differs = [
    before.inputFileId !== asked.inputFileId && "input_file_id",
    before.endpoint !== asked.endpoint && "endpoint",
    before.completionWindow !== asked.completionWindow && "completion_window",
    before.connectionId !== asked.connectionId && "the connection",
    !same(before.metadata, asked.metadata) && "metadata",
  ].filter(Boolean);
  if (differs.length) {
    throw new ApiError(422, `This Idempotency-Key was first used to create a batch with another ${differs.join(", ")}. Send a new key for a new batch.`, "Idempotency-Key");
  }
}

function limitOf(url: URL, fallback: number, max: number): number {
  const raw = url.searchParams.get("limit");
  if (raw === null) return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1 || n > max) throw new ApiError(400, `limit must be a whole number from 1 to ${max}.`, "limit");
  return n;
}

/** The team's batches newest first, a job as one batch (listed where its first part is). */
async function listBatches(prisma: Db, caller: ApiCaller, url: URL): Promise<Response> {
  const limit = limitOf(url, 20, 100);
  const after = url.searchParams.get("after");
  const where = { teamId: caller.team.id, OR: [{ jobId: null }, { jobPart: 1 }], ...openAiBatches() };
  let cursor: { id: string; createdAt: Date } | null = null;
  if (after) {
    const t = await findTarget(prisma, caller, after);
    const anchor = t ? t.parts[0] : null;
    if (!anchor) return apiError(404, `No batch ${after} to list after.`, { param: "after" });
    cursor = anchor;
  }
  const rows = await prisma.batch.findMany({
    where: cursor ? { AND: [where, { OR: [{ createdAt: { lt: cursor.createdAt } }, { createdAt: cursor.createdAt, id: { lt: cursor.id } }] }] } : where,
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: limit + 1,
    select: { id: true, jobId: true },
  });
  const data = [];
  for (const r of rows.slice(0, limit)) {
    const t = await findTarget(prisma, caller, r.jobId ?? r.id);
    if (t) data.push(await batchObject(prisma, t));
  }
  return ok({ object: "list", data, first_id: data[0]?.id, last_id: data.at(-1)?.id, has_more: rows.length > limit });
}

async function retrieveBatch(prisma: Db, caller: ApiCaller, id: string): Promise<Response> {
  const t = await findTarget(prisma, caller, id);
  if (!t) return apiError(404, `No such batch: ${id}`, { param: "batch_id" });
  return ok(await batchObject(prisma, t));
}

async function cancel(prisma: Db, caller: ApiCaller, id: string): Promise<Response> {
  const t = await findTarget(prisma, caller, id);
  if (!t) return apiError(404, `No such batch: ${id}`, { param: "batch_id" });
  if (t.kind === "job") await cancelJob(t.id, caller);
  else await cancelBatch(caller, t.id);
  return ok(await batchObject(prisma, (await findTarget(prisma, caller, id))!));
}

// -------------------------------------------------------------------------------------- routing

/** Under /api/v1/: the token, its limit and role (lib/api/guard.ts), then the route (GET, POST, DELETE; any other method a 405). */
export function handleOpenAiApi(request: Request): Promise<Response> {
  const url = new URL(request.url);
  const what = url.pathname.split("/")[3] ?? "";
  return serveApi(request, `/api/v1/${/^(files|batches)$/.test(what) ? what : "…"}`, apiError, (prisma, caller) => route(prisma, caller, request, request.method, addressOf(url, "/api/v1"), url));
}

function route(prisma: Db, caller: ApiCaller, request: Request, method: string, seg: string[], url: URL): Promise<Response> {
  const [what, id, sub, ...rest] = seg;
  const none = () => Promise.resolve(apiError(404, `Unknown endpoint: ${method} /v1/${seg.join("/")}`));
  // A known address asked with a method it does not take: 405, naming the ones it does.
  const only = (allowed: string) => Promise.resolve(apiError(405, `/v1/${seg.join("/")} does not take ${method}; it takes ${allowed}.`, { headers: { allow: allowed } }));
  if (rest.length) return none();
  if (what === "files") {
    if (!id) return method === "POST" ? uploadFile(request, caller) : method === "GET" ? listFiles(prisma, caller, url) : only("GET, POST");
    if (!sub) return method === "GET" ? retrieveFile(prisma, caller, id) : method === "DELETE" ? removeFile(prisma, caller, id) : only("GET, DELETE");
    return sub !== "content" ? none() : method === "GET" ? fileContent(prisma, caller, id) : only("GET");
  }
  if (what === "batches") {
    if (!id) return method === "POST" ? createBatch(prisma, caller, request) : method === "GET" ? listBatches(prisma, caller, url) : only("GET, POST");
    if (!sub) return method === "GET" ? retrieveBatch(prisma, caller, id) : only("GET");
    return sub !== "cancel" ? none() : method === "POST" ? cancel(prisma, caller, id) : only("POST");
  }
  return none();
}
