// Batchboard's Anthropic-compatible Message Batches API at /api/anthropic/v1/messages/batches
// (docs/api.md): create with inline requests, list (limit, after_id, before_id), retrieve, cancel,
// and the results JSONL, answered as Anthropic's documents and SDK types describe, so the official
// `@anthropic-ai/sdk` works with a base URL and a team token (x-api-key). The batch runs on a
// connection that speaks Anthropic's protocol (Anthropic itself, or Batchboard's Sandbox imitation
// of it): the Batchboard-Connection header, else the token's default, else the team's first such
// connection. The requests become an input file through the upload's own check and storing
// (lib/files/store.ts), the launch is launchBatch, the cancel cancelBatch, and the results are the
// stored ones, so they outlive the provider's 29 days.
import "server-only";
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { Readable } from "node:stream";
import { z } from "zod";
import { cancelBatch } from "@/lib/batches/engine/cancel";
import { launchBatch } from "@/lib/batches/engine/launch";
import type { Db } from "@/lib/db/client";
import { env, settings } from "@/lib/env";
import { importJsonlFile } from "@/lib/files/store";
import { reserveUpload } from "@/lib/files/quota";
import type { Batch } from "@/lib/generated/prisma/client";
import { publicOrigin } from "@/lib/http/origin";
import { noStore } from "@/lib/http/respond";
import { customIdProblem, fromAnthropicParams } from "@/lib/providers/anthropic/convert";
import { kindsSpeaking, profiles, uploadLimitsFor } from "@/lib/providers/profiles";
import { isTerminal } from "@/lib/providers/status";
import { checkSpendCap } from "./spend";
import { addressOf, ApiError, chooseConnection, jsonBody, serveApi, type ErrorAnswer } from "./guard";
import type { ApiCaller } from "./tokens";

const ENDPOINT = "/v1/chat/completions";
const MB = 1024 * 1024;

const TYPES: Record<number, string> = { 400: "invalid_request_error", 401: "authentication_error", 403: "permission_error", 404: "not_found_error", 405: "invalid_request_error", 413: "request_too_large", 429: "rate_limit_error" };

/** Anthropic's error shape: {type: "error", error: {type, message}}. */
export const anthropicError: ErrorAnswer = (status, message, opts = {}) =>
  Response.json({ type: "error", error: { type: TYPES[status] ?? "api_error", message } }, { status, headers: { ...noStore, ...opts.headers } });

const ok = (data: unknown) => Response.json(data, { headers: noStore });
const anthropicKinds = () => kindsSpeaking("anthropic-message-batches");

type Row = Pick<Batch, "id" | "status" | "total" | "completed" | "failed" | "createdAt" | "expiresAt" | "cancellingAt" | "completedAt" | "failedAt" | "expiredAt" | "cancelledAt" | "resultsIngestedAt">;
const rowSelect = { id: true, status: true, total: true, completed: true, failed: true, createdAt: true, expiresAt: true, cancellingAt: true, completedAt: true, failedAt: true, expiredAt: true, cancelledAt: true, resultsIngestedAt: true } as const;

/** Anthropic's MessageBatch for one of our batches. It has "ended" once its results are stored. */
async function messageBatch(prisma: Db, b: Row, base: string) {
  const ended = isTerminal(b.status) && b.resultsIngestedAt !== null;
  const counts = { processing: 0, succeeded: 0, errored: 0, canceled: 0, expired: 0 };
  if (ended) {
    const rows = await prisma.$queryRaw<{ t: string | null; n: bigint | number }[]>`
      SELECT "raw"->'result'->>'type' AS t, COUNT(*) AS n FROM "Result" WHERE "batchId" = ${b.id} GROUP BY 1`;
    for (const r of rows) {
      const k = r.t as keyof typeof counts;
      if (k in counts && k !== "processing") counts[k] += Number(r.n);
      else counts.errored += Number(r.n);
    }
  } else {
    counts.succeeded = b.completed;
    counts.errored = b.failed;
    counts.processing = Math.max(0, b.total - b.completed - b.failed);
  }
  const iso = (d: Date | null) => (d ? d.toISOString() : null);
  const endedAt = b.completedAt ?? b.cancelledAt ?? b.expiredAt ?? b.failedAt;
  return {
    id: b.id,
    type: "message_batch",
    processing_status: ended ? "ended" : b.cancellingAt || b.status === "CANCELLING" ? "canceling" : "in_progress",
    request_counts: counts,
    ended_at: ended ? iso(endedAt ?? b.resultsIngestedAt) : null,
    created_at: b.createdAt.toISOString(),
    expires_at: (b.expiresAt ?? new Date(b.createdAt.getTime() + 24 * 3600_000)).toISOString(),
    archived_at: null,
    cancel_initiated_at: iso(b.cancellingAt),
    results_url: ended ? `${base}/v1/messages/batches/${b.id}/results` : null,
  };
}

/** A batch of the caller's team on an Anthropic-protocol connection, or null. */
function findBatch(prisma: Db, caller: ApiCaller, id: string) {
  return prisma.batch.findFirst({ where: { id, teamId: caller.team.id, jobId: null, connection: { kind: { in: anthropicKinds() } } }, select: rowSelect });
}

const createBody = z.object({
  requests: z
    .array(z.object({ custom_id: z.string().min(1, "custom_id is required."), params: z.record(z.string(), z.unknown()) }))
    .min(1, "requests must hold at least one request."),
});

/** Anthropic's own cap on a Message Batch: 256 MB of requests. */
const MAX_CREATE_BYTES = 256 * MB;

async function create(prisma: Db, caller: ApiCaller, request: Request, base: string): Promise<Response> {
  const json = await jsonBody(request, MAX_CREATE_BYTES, "The body is over 256 MB, Anthropic's limit for one Message Batch: send the requests as several batches.");
  const parsed = createBody.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new ApiError(400, `${issue.path.length ? `${issue.path.join(".")}: ` : ""}${issue.message}`);
  }
  const conn = await chooseConnection(prisma, caller, request, {
    fallback: () => prisma.providerConnection.findFirst({ where: { teamId: caller.team.id, kind: { in: anthropicKinds() } }, orderBy: { createdAt: "asc" }, select: { id: true, name: true, kind: true } }),
  });
  const profile = profiles[conn.kind];
  if (profile?.capabilities.protocol !== "anthropic-message-batches") {
    throw new ApiError(400, `"${conn.name}" is not an Anthropic connection. Add Anthropic (or Batchboard's Sandbox imitation of Anthropic) on the Providers page, or name one with the Batchboard-Connection header.`);
  }
  // The requests as the JSONL file an upload would have brought, checked and stored by the same code.
  const lines: string[] = [];
  parsed.data.requests.forEach((r, i) => {
    const idProblem = customIdProblem(r.custom_id);
    if (idProblem) throw new ApiError(400, `requests[${i}]: ${idProblem}`, `requests.${i}.custom_id`);
    const c = fromAnthropicParams(r.params);
    if (c.problems) throw new ApiError(400, `requests[${i}] (${r.custom_id}): ${c.problems.join("; ")}`, `requests.${i}.params`);
    lines.push(JSON.stringify({ custom_id: r.custom_id, method: "POST", url: ENDPOINT, body: c.body }));
  });
  const dir = path.join(env().DATA_DIR, "tmp");
  await fs.promises.mkdir(dir, { recursive: true });
  const tmp = path.join(dir, `api-${crypto.randomUUID()}.jsonl`);
  const name = `message-batch-${new Date().toISOString().slice(0, 19).replace(/[:T]/g, "-")}.jsonl`;
  let fileId: string;
  try {
    await fs.promises.writeFile(tmp, lines.join("\n") + "\n");
    const limits = { ...uploadLimitsFor(profile), label: `${conn.name} (${profile.label})` };
    fileId = await reserveUpload(prisma, { teamId: caller.team.id, name, format: "jsonl", bytes: 0, endpoint: ENDPOINT, status: "uploading", createdById: caller.user.id }, settings().MAX_UPLOADS_PER_USER);
    const file = await importJsonlFile(prisma, { path: tmp, name, teamId: caller.team.id, userId: caller.user.id, endpoint: ENDPOINT, limits, fileId, quotaBytes: settings().TEAM_STORAGE_QUOTA_MB * MB });
    if (file.status !== "valid") {
      await prisma.inputFile.deleteMany({ where: { id: file.id, batches: { none: {} } } });
      // The check speaks of a file's lines; here line N is requests[N-1], in the message too ("first on line 1").
      const asRequests = (text: string) => text.replace(/\bline (\d+)/g, (_, n) => `requests[${Number(n) - 1}]`);
      const shown = file.problems.slice(0, 10).map((p) => `requests[${p.line - 1}]${p.field ? ` (${p.field})` : ""}: ${asRequests(p.message)}`);
      throw new ApiError(400, `The requests have ${file.problemCount} problem${file.problemCount === 1 ? "" : "s"}: ${shown.join("; ")}`, "requests");
    }
  } finally {
    await fs.promises.rm(tmp, { force: true });
  }
  await checkSpendCap(prisma, { id: caller.token.id, spendCapUsd: caller.spendCapUsd }, caller.team.id, { fileId, kind: conn.kind, window: "24h" });
  const idem = request.headers.get("idempotency-key");
  const { batchId } = await launchBatch(
    {
      connectionId: conn.id,
      inputFileId: fileId,
      endpoint: ENDPOINT,
      completionWindow: "24h",
      name: name.replace(/\.jsonl$/, ""),
      idempotencyKey: idem ? `api:${caller.token.id}:${crypto.createHash("sha256").update(idem).digest("hex").slice(0, 40)}` : `api:${crypto.randomUUID()}`,
    },
    caller,
  );
  const b = await findBatch(prisma, caller, batchId);
  return ok(await messageBatch(prisma, b!, base));
}

async function list(prisma: Db, caller: ApiCaller, url: URL, base: string): Promise<Response> {
  const raw = url.searchParams.get("limit");
  const limit = raw === null ? 20 : Number(raw);
  if (!Number.isInteger(limit) || limit < 1 || limit > 1000) throw new ApiError(400, "limit must be a whole number from 1 to 1000.", "limit");
  const afterId = url.searchParams.get("after_id");
  const beforeId = url.searchParams.get("before_id");
  const where = { teamId: caller.team.id, jobId: null, connection: { kind: { in: anthropicKinds() } } };
  const anchorOf = async (id: string, param: string) => {
    const a = await findBatch(prisma, caller, id);
    if (!a) throw new ApiError(404, `No message batch ${id} to page from.`, param);
    return a;
  };
  // Newest first: after_id pages to older batches, before_id to newer ones.
  let rows: Row[];
  if (beforeId) {
    const a = await anchorOf(beforeId, "before_id");
    rows = (
      await prisma.batch.findMany({
        where: { ...where, OR: [{ createdAt: { gt: a.createdAt } }, { createdAt: a.createdAt, id: { gt: a.id } }] },
        orderBy: [{ createdAt: "asc" }, { id: "asc" }],
        take: limit + 1,
        select: rowSelect,
      })
    ).reverse();
    const more = rows.length > limit;
    rows = more ? rows.slice(1) : rows;
    return page(prisma, rows, more, base);
  }
  const a = afterId ? await anchorOf(afterId, "after_id") : null;
  rows = await prisma.batch.findMany({
    where: a ? { ...where, OR: [{ createdAt: { lt: a.createdAt } }, { createdAt: a.createdAt, id: { lt: a.id } }] } : where,
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: limit + 1,
    select: rowSelect,
  });
  return page(prisma, rows.slice(0, limit), rows.length > limit, base);
}

async function page(prisma: Db, rows: Row[], hasMore: boolean, base: string) {
  const data = [];
  for (const r of rows) data.push(await messageBatch(prisma, r, base));
  return ok({ data, has_more: hasMore, first_id: data[0]?.id ?? null, last_id: data.at(-1)?.id ?? null });
}

/** The results JSONL: every stored result line (Anthropic's own shape) in the input's order. */
function results(prisma: Db, batchId: string): Response {
  const body = Readable.from(
    (async function* () {
      let cursor: bigint | undefined;
      for (;;) {
        const rows = await prisma.result.findMany({
          where: { batchId },
          orderBy: [{ line: "asc" }, { id: "asc" }],
          ...(cursor !== undefined ? { cursor: { id: cursor }, skip: 1 } : {}),
          take: 1000,
          select: { id: true, raw: true },
        });
        if (rows.length === 0) return;
        yield rows.map((r) => JSON.stringify(r.raw) + "\n").join("");
        cursor = rows[rows.length - 1].id;
      }
    })(),
  );
  return new Response(Readable.toWeb(body) as ReadableStream<Uint8Array>, { headers: { ...noStore, "content-type": "application/binary" } });
}

/** GET and POST under /api/anthropic/v1/messages/batches; any other method a 405 in the API's shape. */
export function handleAnthropicApi(request: Request): Promise<Response> {
  const url = new URL(request.url);
  // results_url is followed by the caller's SDK: the address it reached us at, not the one we listen on.
  const base = `${publicOrigin(request.headers, url.protocol.slice(0, -1)) ?? url.origin}/api/anthropic`;
  return serveApi(request, "/api/anthropic/v1/messages/batches", anthropicError, async (prisma, caller) => {
    const seg = addressOf(url, "/api/anthropic/v1");
    const [messages, batches, id, sub, ...rest] = seg;
    const none = () => anthropicError(404, `Unknown endpoint: ${request.method} /v1/${seg.join("/")}`);
    if (messages !== "messages" || batches !== "batches" || rest.length) return none();
    const m = request.method;
    // A known address asked with a method it does not take: 405, naming the ones it does.
    const only = (allowed: string) => anthropicError(405, `/v1/${seg.join("/")} does not take ${m}; it takes ${allowed}.`, { headers: { allow: allowed } });
    if (!id) return m === "POST" ? create(prisma, caller, request, base) : m === "GET" ? list(prisma, caller, url, base) : only("GET, POST");
    if (sub && sub !== "cancel" && sub !== "results") return none();
    // The method before the batch: a wrong one is a 405 whoever's batch the id names.
    const allowed = sub === "cancel" ? "POST" : "GET";
    if (m !== allowed) {
      // Anthropic's API deletes an ended batch; Batchboard keeps it in the team's history.
      if (m === "DELETE" && !sub) return anthropicError(405, `Batchboard keeps every batch in the team's history: /v1/${seg.join("/")} does not take DELETE; it takes GET.`, { headers: { allow: "GET" } });
      return only(allowed);
    }
    const b = await findBatch(prisma, caller, id);
    if (!b) return anthropicError(404, `No message batch ${id}.`);
    if (!sub) return ok(await messageBatch(prisma, b, base));
    if (sub === "cancel") {
      if (!isTerminal(b.status)) await cancelBatch(caller, b.id);
      return ok(await messageBatch(prisma, (await findBatch(prisma, caller, id))!, base));
    }
    if (!(isTerminal(b.status) && b.resultsIngestedAt)) return anthropicError(400, `The message batch ${id} has not ended yet: its results come once it has.`);
    return results(prisma, b.id);
  });
}
