// Retrying a finished batch: its failed requests and those that never got an answer (expired,
// cancelled, or simply absent from the results) become a new input file of origin "retry" and a
// child batch, on the same or another connection of the team and optionally another model.
//
// The requests are copied by ONE INSERT … SELECT from the parent's input file, anti-joined with the
// parent's results, never through JS: a retry of 50,000 requests costs one statement. They keep
// their original line numbers (and CSV source), so results of every batch of a lineage stay aligned
// with the original file. The child is launched by launchBatch, which is idempotent per key; the
// retry file's id is derived from the same key and the selection, so a double click reuses one file
// and one batch instead of making two.
import "server-only";
import crypto from "node:crypto";
import { db, type Db } from "@/lib/db/client";
import { Prisma } from "@/lib/generated/prisma/client";
import { audit } from "@/lib/audit";
import { NotFoundError, UserError } from "@/lib/errors";
import { profiles } from "@/lib/providers/profiles";
import { isTerminal } from "@/lib/providers/status";
import { effectiveProfile } from "@/lib/providers/connections.limits";
import { readConnectionLimits } from "@/lib/providers/connections.limits.read";
import type { ActorContext, LaunchOutcome } from "@/lib/batches/engine/lease";
import { launchBatch } from "@/lib/batches/engine/launch";
import { launchBatchInput } from "./schemas";
import type { RetryBatchInput } from "./retry.schema";

/**
 * Error codes of requests that never ran (the batch expired or was cancelled first): they count as
 * unfinished, with the requests that have no result at all, not as failures of the request itself.
 * OpenAI: batch_expired / batch_cancelled; Anthropic (lib/providers/anthropic/results.ts): expired / canceled.
 */
export const UNFINISHED_CODES = ["batch_expired", "batch_cancelled", "batch_canceled", "expired", "canceled", "cancelled"] as const;
const unfinishedList = Prisma.raw(UNFINISHED_CODES.map((c) => `'${c}'`).join(", "));

/** What the parent must be for a retry; the columns the queries below read. */
type Parent = {
  id: string;
  teamId: string;
  name: string;
  status: string;
  inputFileId: string;
  connectionId: string;
  completionWindow: string;
  fromLine: number | null;
  toLine: number | null;
  dryRun: boolean;
  resultsIngestedAt: Date | null;
  outputFileId: string | null;
  errorFileId: string | null;
};

const parentSelect = {
  id: true,
  teamId: true,
  name: true,
  status: true,
  inputFileId: true,
  connectionId: true,
  completionWindow: true,
  fromLine: true,
  toLine: true,
  dryRun: true,
  resultsIngestedAt: true,
  outputFileId: true,
  errorFileId: true,
} as const;

/** Why this batch cannot be retried (yet), or null when it can. */
export function retryBlocker(b: Pick<Parent, "status" | "dryRun" | "resultsIngestedAt" | "outputFileId" | "errorFileId">): string | null {
  if (!isTerminal(b.status as Parameters<typeof isTerminal>[0])) return "This batch has not finished yet: retry it once it has.";
  if (!b.resultsIngestedAt && (b.outputFileId || b.errorFileId)) return "This batch's results are still being stored: retry it in a moment.";
  if (b.dryRun) return "A dry run only tests the first requests on the test model: launch the file itself instead of retrying it.";
  return null;
}

/**
 * The parent's requests joined to their result in the parent (if any). `r` is the Request, `res`
 * the Result. A batch that is one part of a split job covers only its own lines of the file.
 */
function requestsOf(p: Parent): Prisma.Sql {
  const range = p.fromLine != null && p.toLine != null ? Prisma.sql`AND r."line" BETWEEN ${p.fromLine}::int AND ${p.toLine}::int` : Prisma.empty;
  return Prisma.sql`
    FROM "Request" r
    LEFT JOIN "Result" res ON res."batchId" = ${p.id} AND res."customId" = r."customId"
    WHERE r."fileId" = ${p.inputFileId} ${range}`;
}

const isMissing = Prisma.sql`(res."id" IS NULL OR (res."succeeded" = false AND res."errorCode" IN (${unfinishedList})))`;
const isFailed = Prisma.sql`(res."succeeded" = false AND COALESCE(res."errorCode", '') NOT IN (${unfinishedList}))`;

/** The WHERE condition (after requestsOf) choosing the requests a retry takes. */
function chosen(sel: Pick<RetryBatchInput, "failed" | "missing" | "errorCodes">): Prisma.Sql {
  const parts: Prisma.Sql[] = [];
  if (sel.missing) parts.push(isMissing);
  if (sel.failed) {
    // Codes as one JSON parameter: no array binding differences between PGlite and pg.
    const byCode = sel.errorCodes
      ? Prisma.sql` AND COALESCE(res."errorCode", '') IN (SELECT jsonb_array_elements_text(${JSON.stringify(sel.errorCodes)}::jsonb))`
      : Prisma.empty;
    parts.push(Prisma.sql`(${isFailed}${byCode})`);
  }
  return parts.length ? Prisma.sql`(${Prisma.join(parts, " OR ")})` : Prisma.sql`false`;
}

export interface RetryCounts {
  /** Requests that ran and failed. */
  failed: number;
  /** Requests without an answer: no result, or expired/cancelled before they ran. */
  missing: number;
  /**
   * The failed ones by error code ("" = no code), most frequent first; `nonRetryable` says why a
   * retry of that code fails again, where the batch's provider says it does (its profile).
   */
  codes: { code: string; count: number; nonRetryable?: string }[];
}

export async function retryCounts(prisma: Db, parent: Parent): Promise<RetryCounts> {
  const [totals, codes] = await Promise.all([
    prisma.$queryRaw<{ failed: number; missing: number }[]>(Prisma.sql`
      SELECT count(*) FILTER (WHERE ${isFailed})::int AS "failed", count(*) FILTER (WHERE ${isMissing})::int AS "missing"
      ${requestsOf(parent)}`),
    prisma.$queryRaw<{ code: string; count: number }[]>(Prisma.sql`
      SELECT COALESCE(res."errorCode", '') AS "code", count(*)::int AS "count"
      ${requestsOf(parent)} AND ${isFailed}
      GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT 100`),
  ]);
  return { failed: Number(totals[0]?.failed ?? 0), missing: Number(totals[0]?.missing ?? 0), codes: codes.map((c) => ({ code: c.code, count: Number(c.count) })) };
}

export interface RetryConnection {
  id: string;
  name: string;
  providerLabel: string;
  completionWindows: string[];
  /** Whether its provider takes the parent's endpoint at all. */
  supportsEndpoint: boolean;
}

export interface RetryOptions {
  batchId: string;
  batchName: string;
  /** Null when the batch can be retried; otherwise why not. */
  blocker: string | null;
  counts: RetryCounts;
  endpoint: string;
  /** The parent's model when its file has one; "" when several (each request keeps its own). */
  model: string;
  models: string[];
  connectionId: string;
  completionWindow: string;
  connections: RetryConnection[];
}

async function findParent(prisma: Db, teamId: string, batchId: string): Promise<Parent> {
  const parent = await prisma.batch.findFirst({ where: { id: batchId, teamId }, select: parentSelect });
  if (!parent) throw new NotFoundError("That batch");
  return parent;
}

/** What the retry dialog shows before anything is launched: counts, models, connections. */
export async function retryOptions(prisma: Db, teamId: string, batchId: string): Promise<RetryOptions> {
  const parent = await findParent(prisma, teamId, batchId);
  const [file, connections] = await Promise.all([
    prisma.inputFile.findUniqueOrThrow({ where: { id: parent.inputFileId }, select: { endpoint: true, models: true } }),
    prisma.providerConnection.findMany({ where: { teamId }, orderBy: { createdAt: "asc" }, select: { id: true, name: true, kind: true, limits: true } }),
  ]);
  const blocker = retryBlocker(parent);
  const counts = blocker ? { failed: 0, missing: 0, codes: [] } : await retryCounts(prisma, parent);
  // The codes the batch's own provider says fail again (a content filter's refusal, say).
  const kind = connections.find((c) => c.id === parent.connectionId)?.kind;
  const nonRetryable = (kind && profiles[kind]?.capabilities.nonRetryable) || {};
  counts.codes = counts.codes.map((c) => (Object.hasOwn(nonRetryable, c.code) ? { ...c, nonRetryable: nonRetryable[c.code] } : c));
  return {
    batchId: parent.id,
    batchName: parent.name,
    blocker,
    counts,
    endpoint: file.endpoint,
    model: file.models.length === 1 ? file.models[0] : "",
    models: file.models,
    connectionId: parent.connectionId,
    completionWindow: parent.completionWindow,
    connections: connections.map((c) => {
      if (!profiles[c.kind]) return { id: c.id, name: c.name, providerLabel: c.kind, completionWindows: [parent.completionWindow], supportsEndpoint: false };
      const p = effectiveProfile(c.kind, readConnectionLimits(c), { name: c.name });
      return { id: c.id, name: c.name, providerLabel: profiles[c.kind].label, completionWindows: p.completionWindows, supportsEndpoint: p.endpoints.includes(file.endpoint) };
    }),
  };
}

/** "failed", "unfinished" or both, for names and messages. */
function describe(n: { failed: number; missing: number }) {
  if (n.failed && n.missing) return `${n.failed} failed and ${n.missing} unfinished`;
  return n.failed ? `${n.failed} failed` : `${n.missing} unfinished`;
}

export interface RetryOutcome extends LaunchOutcome {
  fileId: string;
  requests: number;
}

/**
 * Copies the chosen requests of `parent` into a new retry file and launches it as a child batch.
 * `opts.metadata` is passed to the provider with the batch (tests set the sandbox's pace there).
 */
export async function retryBatch(input: RetryBatchInput, ctx: ActorContext, opts: { metadata?: Record<string, string> } = {}): Promise<RetryOutcome> {
  const prisma = await db();
  const parent = await findParent(prisma, ctx.team.id, input.batchId);
  const blocker = retryBlocker(parent);
  if (blocker) throw new UserError(blocker);
  const file = await prisma.inputFile.findUniqueOrThrow({ where: { id: parent.inputFileId }, select: { endpoint: true } });
  // The target connection must be the team's own; launchBatch checks it again, with the provider's limits.
  const connection = await prisma.providerConnection.findFirst({ where: { id: input.connectionId, teamId: ctx.team.id }, select: { id: true } });
  if (!connection) throw new UserError("That connection was not found.", { connectionId: "Choose one of the team's connections." });

  const sel = { failed: input.failed, missing: input.missing, errorCodes: input.errorCodes };
  const counts = await prisma.$queryRaw<{ failed: number; missing: number }[]>(Prisma.sql`
    SELECT count(*) FILTER (WHERE ${isFailed} AND ${chosen(sel)})::int AS "failed",
           count(*) FILTER (WHERE ${isMissing} AND ${chosen(sel)})::int AS "missing"
    ${requestsOf(parent)}`);
  const n = { failed: Number(counts[0]?.failed ?? 0), missing: Number(counts[0]?.missing ?? 0) };
  if (n.failed + n.missing === 0) {
    throw new UserError(
      `Nothing to retry: "${parent.name}" has no ${[input.failed && "failed", input.missing && "unfinished"].filter(Boolean).join(" or ")} requests${input.failed && input.errorCodes ? " with the chosen error codes" : ""}.`,
    );
  }

  const suffix = ` — retry of ${describe(n)}`;
  const name = parent.name.slice(0, 200 - suffix.length) + suffix;
  // One id per key and selection: a double click finds the same file; another choice after a refused
  // launch (another model, say) gets a file of its own.
  const fileId =
    "retry_" +
    crypto
      .createHash("sha256")
      .update(JSON.stringify([ctx.team.id, input.idempotencyKey, parent.id, sel.failed, sel.missing, sel.errorCodes ?? null, input.model ?? null]))
      .digest("hex")
      .slice(0, 24);

  const requests = await prisma.$transaction(async (tx) => {
    // A concurrent twin waits here on the primary key until this commits, then inserts nothing.
    const inserted = await tx.$executeRaw(Prisma.sql`
      INSERT INTO "InputFile" ("id", "teamId", "name", "format", "bytes", "endpoint", "models", "status", "origin", "createdById")
      VALUES (${fileId}, ${ctx.team.id}, ${name}, 'jsonl', 0, ${file.endpoint}, ARRAY[]::text[], 'uploading', 'retry', ${ctx.user.id})
      ON CONFLICT ("id") DO NOTHING`);
    if (inserted === 0) return null;
    const model = input.model ?? null;
    await tx.$executeRaw(Prisma.sql`
      INSERT INTO "Request" ("fileId", "line", "customId", "model", "prompt", "body", "source")
      SELECT ${fileId}, r."line", r."customId",
        COALESCE(${model}::text, r."model"),
        r."prompt",
        CASE WHEN ${model}::text IS NULL THEN r."body" ELSE jsonb_set(r."body", '{model}', to_jsonb(${model}::text)) END,
        r."source"
      ${requestsOf(parent)} AND ${chosen(sel)}`);
    // The file's facts from its rows, as an upload would have recorded them. Lines keep the original
    // numbering, so lineCount is the last line kept.
    const [facts] = await tx.$queryRaw<{ n: number }[]>(Prisma.sql`
      UPDATE "InputFile" f SET
        "requestCount" = s."n", "lineCount" = s."last", "models" = s."models", "bytes" = s."bytes", "status" = 'valid'
      FROM (
        SELECT count(*)::int AS "n", COALESCE(max("line"), 0) AS "last",
          COALESCE(array_agg(DISTINCT "model") FILTER (WHERE "model" IS NOT NULL), ARRAY[]::text[]) AS "models",
          COALESCE(sum(octet_length("body"::text) + octet_length("customId") + 60), 0)::bigint AS "bytes"
        FROM "Request" WHERE "fileId" = ${fileId}
      ) s
      WHERE f."id" = ${fileId}
      RETURNING s."n"`);
    return Number(facts.n);
  });

  const count = requests ?? (await prisma.inputFile.findUniqueOrThrow({ where: { id: fileId }, select: { requestCount: true } })).requestCount;
  const launch = launchBatchInput.parse({
    connectionId: input.connectionId,
    inputFileId: fileId,
    endpoint: file.endpoint,
    completionWindow: input.completionWindow,
    name,
    description: `Retry of "${parent.name}": ${describe(n)} requests${input.model ? `, on ${input.model}` : ""}.`,
    idempotencyKey: `retry:${input.idempotencyKey}`,
    metadata: opts.metadata,
  });

  let outcome: LaunchOutcome;
  try {
    outcome = await launchBatch(launch, ctx);
  } catch (err) {
    // The provider may hold the batch although the call failed (launch hands it to the worker):
    // keep its lineage. Otherwise nothing uses the retry file any more: remove it.
    const orphan = await prisma.batch.findFirst({ where: { inputFileId: fileId, teamId: ctx.team.id }, select: { id: true } });
    if (orphan) await linkToParent(prisma, orphan.id, parent.id);
    else await prisma.inputFile.deleteMany({ where: { id: fileId, teamId: ctx.team.id, batches: { none: {} } } }).catch(() => {});
    throw err;
  }
  // launchBatch takes no parent: link the child right after. Idempotent, so a double click's second
  // call (created: false) does nothing new.
  await linkToParent(prisma, outcome.batchId, parent.id);
  if (outcome.created) {
    await audit(prisma, {
      teamId: ctx.team.id,
      actorId: ctx.user.id,
      action: "batch.retried",
      targetType: "batch",
      targetId: parent.id,
      targetLabel: parent.name,
      data: { child: outcome.batchId, failed: n.failed, missing: n.missing, errorCodes: input.errorCodes ?? null, model: input.model ?? null, connectionId: input.connectionId },
    });
  }
  return { ...outcome, fileId, requests: count };
}

async function linkToParent(prisma: Db, childId: string, parentId: string) {
  // Never a batch its own ancestor: the child is new, so only "itself" could close a loop.
  if (childId === parentId) return;
  await prisma.batch.updateMany({ where: { id: childId, parentBatchId: null }, data: { parentBatchId: parentId } });
}
