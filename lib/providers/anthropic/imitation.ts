// The sandbox's "anthropic" mode: Anthropic's Message Batches API as its documents state it, served
// at /api/sandbox/anthropic (the SDK adds /v1/messages/batches), whole, by this handler
// (imitations.ts). Written here from Anthropic's documents and SDK types, not from the adapter or the
// profile beside it (an ESLint wall keeps it so), so that a test where our adapter meets this
// imitation proves something.
//
// - Headers: `x-api-key` (a sandbox key, sandbox/keys.ts; `Authorization: Bearer` is refused) and
//   `anthropic-version` 2023-06-01 (or 2023-01-01), as Anthropic's documents show.
// - POST /v1/messages/batches {requests:[{custom_id, params}]}: 1..100,000 requests, at most 256 MB,
//   custom_id 1..64 of [a-zA-Z0-9_-] and unique, params with model, max_tokens and user/assistant
//   messages. GET /v1/messages/batches (limit, after_id, before_id), GET /{id}, POST /{id}/cancel,
//   GET /{id}/results (JSONL, only once ended, in no particular order).
// - processing_status in_progress | canceling | ended, from the same clock as the other modes
//   (sandbox/progress.ts). request_counts keep every request "processing" until the batch ends, as
//   Anthropic's documents say, then split them into succeeded / errored / canceled / expired.
// - Test knobs (no metadata exists to carry them): a path segment before /v1 such as
//   `sandbox_ms_per_request=20,sandbox_expire_after_ms=500,sandbox_fail_every=3`. A request whose
//   params contain "[fail]" errors. A "faults=" segment works as in every mode (sandbox/faults.ts).
import "server-only";
import { once } from "node:events";
import { db } from "@/lib/db/client";
import { env } from "@/lib/env";
import type { Prisma } from "@/lib/generated/prisma/client";
import { blobLines, blobWriter, deleteBlob } from "@/lib/providers/sandbox/blobs";
import { nulParam } from "@/lib/http/params";
import { teamOfSandboxKey } from "@/lib/providers/sandbox/keys";
import { FAIL_MARKER, digest, makeId, promptOf, shuffled } from "@/lib/providers/sandbox/model";
import { injectedFault, parseFaults } from "@/lib/providers/sandbox/faults";
import { clockOf, type BatchRow as Row } from "@/lib/providers/sandbox/clock";
import { progressAt } from "@/lib/providers/sandbox/progress";
import { log } from "@/lib/log";

const MODE = "anthropic";
const MAX_REQUESTS = 100_000;
const MAX_BODY_BYTES = 256 * 1024 * 1024;
const DAY_MS = 24 * 3_600_000;
const CUSTOM_ID = /^[a-zA-Z0-9_-]{1,64}$/;
const ANSWER = "This is a test result.";

type Json = Record<string, unknown>;

class AnthropicError extends Error {
  constructor(
    readonly status: number,
    readonly type: string,
    message: string,
  ) {
    super(message);
  }
  toResponse() {
    return Response.json({ type: "error", error: { type: this.type, message: this.message }, request_id: makeId("req_") }, { status: this.status });
  }
}
const invalid = (message: string) => new AnthropicError(400, "invalid_request_error", message);

function prefixOf(pathname: string): string[] {
  const at = pathname.lastIndexOf("/v1/");
  return (at === -1 ? pathname : pathname.slice(0, at)).split("/").filter(Boolean).map(decodeURIComponent);
}

interface Knobs {
  msPerRequest?: number;
  expireAfterMs?: number;
  failEvery?: number;
}

function knobsOf(prefix: string[]): Knobs {
  const k: Knobs = {};
  for (const seg of prefix) {
    if (seg.startsWith("faults=")) continue;
    for (const part of seg.split(",")) {
      const [name, raw] = part.split("=");
      const n = Number(raw);
      if (raw === undefined || !Number.isInteger(n) || n < 0) continue;
      if (name === "sandbox_ms_per_request") k.msPerRequest = Math.min(n, 3_600_000);
      else if (name === "sandbox_expire_after_ms") k.expireAfterMs = Math.min(n, DAY_MS);
      else if (name === "sandbox_fail_every" && n >= 1) k.failEvery = n;
    }
  }
  return k;
}

export async function handleAnthropicRequest(req: Request): Promise<Response> {
  try {
    const url = new URL(req.url);
    const at = url.pathname.lastIndexOf("/v1/");
    const segments = at === -1 ? [] : url.pathname.slice(at + 4).split("/").filter(Boolean).map(decodeURIComponent);
    const prefix = prefixOf(url.pathname);
    const teamId = authenticate(req);
    const nul = nulParam(url.searchParams) ?? nulParam({ path: segments });
    if (nul) throw invalid(nul.message);
    const f = prefix.find((s) => s.startsWith("faults="));
    if (f) {
      const fault = injectedFault(parseFaults(f), teamId, MODE);
      if (fault) {
        const reader = req.body?.getReader();
        if (reader) while (!(await reader.read()).done);
        return fault;
      }
    }
    // Where this batch's results are served: the same host and prefix the client used, as Anthropic
    // answers on the host it was asked on. The Host header, not req.url: under `next start` the URL
    // names the server's own hostname (localhost) even when the client called 127.0.0.1, and the
    // adapter rightly refuses to send its key to a results_url on another host.
    const host = req.headers.get("host")?.trim();
    const origin = host && /^[A-Za-z0-9.\-]+(:\d+)?$|^\[[0-9A-Fa-f:.]+\](:\d+)?$/.test(host) ? `${url.protocol}//${host}` : url.origin;
    const base = `${origin}${at === -1 ? "" : url.pathname.slice(0, at)}`;
    const [a, b, id, action] = segments;
    if (a !== "messages" || b !== "batches") throw new AnthropicError(404, "not_found_error", `Not found: ${req.method} ${url.pathname}`);
    if (req.method === "POST" && segments.length === 2) return Response.json(await createBatch(teamId, req, knobsOf(prefix), base));
    if (req.method === "GET" && segments.length === 2) return Response.json(await listBatches(teamId, url.searchParams, base));
    if (req.method === "GET" && segments.length === 3) return Response.json(await render(await findBatch(teamId, id), base));
    if (req.method === "POST" && action === "cancel" && segments.length === 4) return Response.json(await cancelBatch(teamId, id, base));
    if (req.method === "GET" && action === "results" && segments.length === 4) return await results(teamId, id);
    throw new AnthropicError(404, "not_found_error", `Not found: ${req.method} ${url.pathname}`);
  } catch (err) {
    if (err instanceof AnthropicError) return err.toResponse();
    log.error("sandbox.unexpected_error", { mode: "anthropic", method: req.method, err });
    return new AnthropicError(500, "api_error", "Internal server error").toResponse();
  }
}

/**
 * As Anthropic's API: the key in `x-api-key` only (an `Authorization: Bearer` key is an OAuth token
 * there, which a console API key is not), and `anthropic-version` one of the versions it knows.
 */
const VERSIONS = ["2023-06-01", "2023-01-01"];

function authenticate(req: Request): string {
  const key = req.headers.get("x-api-key")?.trim();
  if (!key) {
    const bearer = /^Bearer\s/i.test(req.headers.get("authorization") ?? "");
    throw new AnthropicError(401, "authentication_error", bearer ? "x-api-key header is required (an Authorization: Bearer header is not an API key)" : "x-api-key header is required");
  }
  const teamId = teamOfSandboxKey(key);
  // Never echo the key: it may be a real key sent to the wrong place.
  if (!teamId) throw new AnthropicError(401, "authentication_error", "invalid x-api-key");
  const version = req.headers.get("anthropic-version");
  if (!version) throw invalid("anthropic-version: header is required");
  if (!VERSIONS.includes(version)) throw invalid(`anthropic-version: ${JSON.stringify(version.slice(0, 40))} is not a valid version`);
  return teamId;
}

/** The body, refused past 256 MB without reading further. */
async function readBody(req: Request): Promise<Json> {
  const chunks: Buffer[] = [];
  let bytes = 0;
  if (req.body) {
    const reader = req.body.getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      bytes += value.byteLength;
      if (bytes > MAX_BODY_BYTES) {
        await reader.cancel();
        throw new AnthropicError(413, "request_too_large", `Request exceeds the maximum allowed number of bytes (${MAX_BODY_BYTES}).`);
      }
      chunks.push(Buffer.from(value));
    }
  }
  try {
    const v: unknown = JSON.parse(Buffer.concat(chunks).toString("utf8"));
    if (v && typeof v === "object" && !Array.isArray(v)) return v as Json;
  } catch {
    // answered below
  }
  throw invalid("The request body is not valid JSON.");
}

/** What Anthropic would say about one request, or null when it is fine. */
function checkRequest(r: unknown, i: number, seen: Set<string>): string | null {
  const at = `requests.${i}`;
  if (!r || typeof r !== "object" || Array.isArray(r)) return `${at}: Input should be an object`;
  const { custom_id, params } = r as Json;
  if (typeof custom_id !== "string" || !CUSTOM_ID.test(custom_id)) return `${at}.custom_id: String should match pattern '^[a-zA-Z0-9_-]{1,64}$'`;
  if (seen.has(custom_id)) return `${at}.custom_id: Duplicate custom_id '${custom_id}'`;
  seen.add(custom_id);
  if (!params || typeof params !== "object" || Array.isArray(params)) return `${at}.params: Field required`;
  const p = params as Json;
  if (typeof p.model !== "string" || !p.model) return `${at}.params.model: Field required`;
  if (!Number.isInteger(p.max_tokens) || (p.max_tokens as number) < 1) return `${at}.params.max_tokens: Field required (an integer of at least 1)`;
  if (!Array.isArray(p.messages) || p.messages.length === 0) return `${at}.params.messages: at least one message is required`;
  for (const [j, m] of (p.messages as unknown[]).entries()) {
    const role = (m as Json | null)?.role;
    if (role !== "user" && role !== "assistant") return `${at}.params.messages.${j}.role: Input should be 'user' or 'assistant'`;
  }
  if (p.temperature !== undefined && (typeof p.temperature !== "number" || p.temperature < 0 || p.temperature > 1)) {
    return `${at}.params.temperature: Input should be less than or equal to 1`;
  }
  if (p.stream === true) return `${at}.params.stream: streaming is not supported in batches`;
  return null;
}

async function createBatch(teamId: string, req: Request, knobs: Knobs, base: string) {
  const body = await readBody(req);
  const requests = body.requests;
  if (!Array.isArray(requests) || requests.length === 0) throw invalid("requests: List should have at least 1 item");
  if (requests.length > MAX_REQUESTS) throw invalid(`requests: List should have at most ${MAX_REQUESTS} items`);
  const seen = new Set<string>();
  const failEvery = knobs.failEvery;
  const failed: number[] = [];
  for (const [i, r] of requests.entries()) {
    const problem = checkRequest(r, i, seen);
    if (problem) throw invalid(problem);
    if (JSON.stringify((r as Json).params).includes(FAIL_MARKER) || (failEvery && (i + 1) % failEvery === 0)) failed.push(i);
  }
  const id = makeId("msgbatch_");
  const prisma = await db();
  // The requests are kept under the batch's own id (blobs.ts), before the row that makes it exist.
  const out = blobWriter(prisma, id);
  try {
    for (const r of requests) if (!out.write(`${JSON.stringify(r)}\n`)) await once(out, "drain");
    out.end();
    await once(out, "finish");
  } catch (err) {
    out.destroy();
    await deleteBlob(prisma, id);
    throw err;
  }

  const row = await prisma.sandboxBatch.create({
    data: {
      id,
      teamId,
      mode: MODE,
      inputFileId: "inline",
      endpoint: "/v1/messages",
      completionWindow: "24h",
      total: requests.length,
      failedLines: failed,
      msPerRequest: knobs.msPerRequest ?? env().SANDBOX_MS_PER_REQUEST,
      expiresAfterMs: knobs.expireAfterMs ?? DAY_MS,
      createdAt: new Date(),
    },
  });
  return render(row, base);
}

const iso = (ms: number | undefined) => (ms === undefined ? null : new Date(ms).toISOString());

function state(row: Row, now = Date.now()) {
  const p = progressAt(clockOf(row), now);
  const ended = p.status === "completed" || p.status === "expired" || p.status === "cancelled" || p.status === "failed";
  return { p, ended, processing: ended ? "ended" : p.status === "cancelling" ? "canceling" : "in_progress" };
}

function render(row: Row, base: string) {
  const { p, ended, processing } = state(row);
  const notRun = row.total - p.done;
  return {
    id: row.id,
    type: "message_batch",
    processing_status: processing,
    request_counts: ended
      ? {
          processing: 0,
          succeeded: p.completed,
          errored: p.failed,
          canceled: p.status === "cancelled" ? notRun : 0,
          expired: p.status === "expired" ? notRun : 0,
        }
      : { processing: row.total, succeeded: 0, errored: 0, canceled: 0, expired: 0 },
    ended_at: iso(p.completedAt ?? p.expiredAt ?? p.cancelledAt),
    created_at: row.createdAt.toISOString(),
    expires_at: iso(p.expiresAt),
    archived_at: null,
    cancel_initiated_at: iso(p.cancellingAt),
    results_url: ended ? `${base}/v1/messages/batches/${encodeURIComponent(row.id)}/results` : null,
  };
}

async function findBatch(teamId: string, id: string) {
  const prisma = await db();
  const row = await prisma.sandboxBatch.findFirst({ where: { id, teamId, mode: MODE } });
  if (!row) throw new AnthropicError(404, "not_found_error", `Message Batch ${id} not found`);
  return row;
}

async function listBatches(teamId: string, q: URLSearchParams, base: string) {
  const limit = Number(q.get("limit") ?? 20);
  if (!Number.isInteger(limit) || limit < 1 || limit > 1000) throw invalid("limit: Input should be an integer from 1 to 1000");
  const prisma = await db();
  const where: Prisma.SandboxBatchWhereInput = { teamId, mode: MODE };
  const afterId = q.get("after_id");
  const beforeId = q.get("before_id");
  const cursorId = afterId ?? beforeId;
  if (cursorId) {
    const c = await findBatch(teamId, cursorId);
    // Newest first: "after" is older, "before" is newer.
    const op = afterId ? "lt" : "gt";
    where.OR = [{ createdAt: { [op]: c.createdAt } }, { createdAt: c.createdAt, id: { [op]: c.id } }];
  }
  const order = beforeId && !afterId ? "asc" : "desc";
  const rows = await prisma.sandboxBatch.findMany({ where, orderBy: [{ createdAt: order }, { id: order }], take: limit + 1 });
  const page = rows.slice(0, limit);
  if (order === "asc") page.reverse();
  const data = page.map((r) => render(r, base));
  return { data, has_more: rows.length > limit, first_id: data[0]?.id ?? null, last_id: data[data.length - 1]?.id ?? null };
}

async function cancelBatch(teamId: string, id: string, base: string) {
  const row = await findBatch(teamId, id);
  const { processing } = state(row);
  if (processing === "ended") throw invalid(`Message Batch ${id} has already ended and cannot be canceled`);
  if (processing === "in_progress") {
    const prisma = await db();
    // Only the first cancel sets the time.
    await prisma.sandboxBatch.updateMany({ where: { id, teamId, cancelledAt: null }, data: { cancelledAt: new Date() } });
  }
  return render(await findBatch(teamId, id), base);
}

const tokens = (s: string) => Math.max(1, Math.ceil(s.length / 4));

/** The test model's Message for one request's params. */
function message(params: Json, seed: string): Json {
  const prompt = promptOf(params).replace(/\s+/g, " ").trim();
  let text = `${ANSWER} You said: "${prompt.length > 60 ? `${prompt.slice(0, 57)}...` : prompt}"`;
  let stop = "end_turn";
  const max = Number(params.max_tokens);
  if (tokens(text) > max) {
    text = text.slice(0, max * 4);
    stop = "max_tokens";
  }
  const thinking = (params.thinking as Json | undefined)?.type === "enabled";
  const content: Json[] = [
    ...(thinking ? [{ type: "thinking", thinking: `The user wrote ${prompt.length} characters; a test result is the answer.`, signature: digest(seed).slice(0, 32) }] : []),
    { type: "text", text },
  ];
  return {
    id: makeId("msg_", seed),
    type: "message",
    role: "assistant",
    model: params.model,
    content,
    stop_reason: stop,
    stop_sequence: null,
    usage: {
      input_tokens: tokens(JSON.stringify(params.messages) + String(params.system ?? "")),
      output_tokens: tokens(text),
      cache_creation_input_tokens: 0,
      cache_read_input_tokens: 0,
    },
  };
}

async function results(teamId: string, id: string): Promise<Response> {
  const row = await findBatch(teamId, id);
  const { p, ended } = state(row);
  if (!ended) throw new AnthropicError(404, "not_found_error", `Results for Message Batch ${id} are not available yet: it is still processing`);
  const failed = new Set(row.failedLines);
  const notRun = p.status === "cancelled" ? "canceled" : "expired";
  const prisma = await db();
  async function* lines() {
    let i = 0;
    for await (const text of blobLines(prisma, row.id)) {
      if (!text.trim()) continue;
      const index = i++;
      const r = JSON.parse(text) as { custom_id: string; params: Json };
      const seed = `${row.id}:${r.custom_id}`;
      const result =
        index >= p.done
          ? { type: notRun }
          : failed.has(index)
            ? { type: "errored", error: { type: "error", error: { type: "invalid_request_error", message: "Input data may contain inappropriate content." }, request_id: makeId("req_", seed) } }
            : { type: "succeeded", message: message(r.params, seed) };
      yield `${JSON.stringify({ custom_id: r.custom_id, result })}\n`;
    }
  }
  // Anthropic keeps no order: the results come shuffled (the same way for the same batch).
  const it = shuffled(lines(), row.id)[Symbol.asyncIterator]();
  const enc = new TextEncoder();
  const stream = new ReadableStream<Uint8Array>({
    async pull(c) {
      const { done, value } = await it.next();
      if (done) c.close();
      else c.enqueue(enc.encode(value));
    },
    async cancel() {
      await it.return?.(undefined);
    },
  });
  return new Response(stream, { headers: { "content-type": "application/binary" } });
}
