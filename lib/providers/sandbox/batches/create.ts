// Creating a sandbox batch: the body checked as the mode's provider checks it (endpoint, window,
// metadata, the input file's purpose and, for a test model, its size), the input read once to count
// and check every line (a batch whose input fails validation fails), and the test knobs its metadata
// may carry (listed at the top of server.ts). A batch keeps its input's content even if the file is
// deleted afterwards (blobs.ts).
import "server-only";
import { z } from "zod";
import { db, type Db } from "@/lib/db/client";
import { env } from "@/lib/env";
import type { Prisma } from "@/lib/generated/prisma/client";
import { modeOf } from "@/lib/providers/imitations";
import { SandboxError, badRequest } from "@/lib/providers/sandbox/api-error";
import { findFile, jsonlLines } from "@/lib/providers/sandbox/files";
import type { SandboxMode } from "@/lib/providers/sandbox/mode";
import { asksToFail, makeId } from "@/lib/providers/sandbox/model";
import { blobWriter } from "@/lib/providers/sandbox/blobs";
import { once } from "node:events";
import { render, type LineError } from "./read";

export const MAX_REQUESTS = 50_000;
/** A failed batch reports this many problems at most, like providers do. */
const MAX_REPORTED_ERRORS = 100;

const createBatchInput = z.object({
  input_file_id: z.string().min(1),
  endpoint: z.string().optional(),
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
  const input = { ...parsed.data, endpoint: parsed.data.endpoint ?? mode.defaultEndpoint };
  if (input.endpoint === undefined) throw badRequest("Missing required parameter: 'endpoint'.", "endpoint", "missing_required_parameter");
  if (!mode.endpoints.includes(input.endpoint)) {
    throw badRequest(`Invalid 'endpoint': '${input.endpoint}'. Supported: ${mode.endpoints.join(", ")}.`, "endpoint");
  }
  if (mode.ossInput && /^(oss:|https?:\/\/)/i.test(input.input_file_id)) {
    throw badRequest(
      `Invalid 'input_file_id': '${input.input_file_id.slice(0, 80)}' names an OSS object. The sandbox cannot read OSS: upload the file (purpose 'batch') and use its file id.`,
      "input_file_id",
      "unsupported_oss_input",
    );
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
  const failedErrorFile = scan.errors.length && mode.failedErrorFile ? await writeProblemsFile(prisma, teamId, id, file.id, scan.errors, mode) : undefined;
  const row = await prisma.sandboxBatch.create({
    data: {
      id,
      teamId,
      mode: mode.name,
      // Providers with partial results name the result files from the start.
      ...(mode.partialResults && !scan.errors.length
        ? { outputFileId: mode.resultFileId(id, "output"), errorFileId: mode.resultFileId(id, "error") }
        : {}),
      ...(failedErrorFile ? { errorFileId: failedErrorFile } : {}),
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
  // The answer to the create is the batch as it was created (validating), however long the checks
  // after the insert took on a busy machine.
  return render(row, row.createdAt.getTime());
}

/** Reads the input once: counts requests, checks each line as a provider would, picks the failures. */
async function scanInput(prisma: Db, fileId: string, endpoint: string, failEvery: number | undefined, mode: SandboxMode) {
  const errors: LineError[] = [];
  const failedIndexes: number[] = [];
  const seen = new Set<string>();
  let total = 0;
  let model: string | undefined;
  let thinking: boolean | undefined;
  let embeddingInputs = 0;
  for await (const { line, text } of jsonlLines(prisma, fileId)) {
    const checked = checkLine(text, endpoint, seen, mode);
    if (!("error" in checked)) {
      const m = String(checked.body.model);
      const think = checked.body.enable_thinking === true;
      const test = mode.testEndpoint;
      if (mode.models && !mode.models.includes(m)) {
        errors.push({ code: "model_not_found", message: `The model '${m}' does not exist or you do not have access to it.`, param: "body.model", line });
      } else if (test && (endpoint === test.endpoint) !== (m === test.model)) {
        errors.push({ code: "invalid_model", message: `The model '${m}' cannot be used with the endpoint '${endpoint}'.`, param: "body.model", line });
      } else if (mode.oneModel && model !== undefined && m !== model) {
        errors.push({ code: "model_mismatch", message: `All requests of a batch must use one model: '${m}' differs from '${model}'.`, param: "body.model", line });
      } else if (mode.oneThinkingMode && thinking !== undefined && think !== thinking) {
        errors.push({
          code: "thinking_mode_mismatch",
          message: `All requests of a batch must use one thinking mode: enable_thinking is ${think} here and ${thinking} on an earlier line.`,
          param: "body.enable_thinking",
          line,
        });
      }
      model ??= m;
      thinking ??= think;
      if (endpoint === "/v1/embeddings") embeddingInputs += Array.isArray(checked.body.input) ? checked.body.input.length : 1;
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
  if (mode.maxEmbeddingInputs && embeddingInputs > mode.maxEmbeddingInputs) {
    errors.push({
      code: "too_many_embedding_inputs",
      message: `An /v1/embeddings batch may hold at most ${mode.maxEmbeddingInputs} embedding inputs across all its requests; this file has ${embeddingInputs}.`,
      line: null,
    });
  }
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
  if (mode.asciiCustomId && !/^[\x20-\x7e]*$/.test(o.custom_id)) {
    return fail("invalid_custom_id", "'custom_id' must be plain ASCII.", "custom_id");
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

/**
 * A failed batch's problems as an error file (Doubleword: "failed - Batch failed (check
 * error_file_id)"), one line per problem in the seed's error format: {id, custom_id, error:{code, message}}.
 */
async function writeProblemsFile(prisma: Db, teamId: string, batchId: string, inputFileId: string, errors: LineError[], mode: SandboxMode) {
  const customIds = new Map<number, string>();
  const wanted = new Set(errors.map((e) => e.line).filter((l): l is number => l !== null));
  for await (const { line, text } of jsonlLines(prisma, inputFileId)) {
    if (!wanted.has(line)) continue;
    try {
      const id = (JSON.parse(text) as { custom_id?: unknown }).custom_id;
      if (typeof id === "string") customIds.set(line, id);
    } catch {
      // not JSON: the line has no custom_id to name
    }
  }
  const text = errors
    .map((e, i) =>
      JSON.stringify({
        id: makeId("batch_req_", `${batchId}:problem:${i}`),
        custom_id: e.line !== null ? (customIds.get(e.line) ?? null) : null,
        error: { code: e.code, message: e.line !== null ? `Line ${e.line}: ${e.message}` : e.message },
      }),
    )
    .join("\n");
  const id = mode.resultFileId(batchId, "error");
  const out = blobWriter(prisma, id);
  out.end(`${text}\n`);
  await once(out, "finish");
  await prisma.sandboxFile.create({ data: { id, teamId, filename: `${batchId}_error.jsonl`, purpose: "batch_output", bytes: Buffer.byteLength(text) + 1, lines: errors.length } });
  return id;
}
