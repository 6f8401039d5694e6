// Splitting a file over a provider's limits into parts that each fit one batch: contiguous ranges of
// input lines, cut whenever the next request would break the part's request count or byte size, or
// (for one-model providers) when the model changes. The planner is a pure accumulator fed one line
// at a time, so the walk over a file's Request rows (planFileParts, keyset pages) never holds more
// than a page of them. Launch (launch.ts, jobs.ts) and the launch form's plan use the same cuts.
import type { Db } from "@/lib/db/client";
import { sql } from "@/lib/db/sql";
import { UserError } from "@/lib/errors";
import { formatBytes, plural } from "@/lib/files/format";
import type { ProviderProfile } from "@/lib/providers/profile";
import { JOB_LIMITS } from "@/lib/providers/profiles";
import { checkLineForProfile, type ProfileProblem } from "@/lib/providers/checks";

/** One request line exactly as the OpenAI-compatible adapter sends it (requestLine, the newline included). */
export function providerLine(customId: string, endpoint: string, body: unknown): string {
  return JSON.stringify({ custom_id: customId, method: "POST", url: endpoint, body }) + "\n";
}

/** What the planner needs of one request. */
export interface PlanLine {
  line: number;
  customId: string;
  /** Bytes of the provider line without its newline (as checkLineForProfile counts them). */
  bytes: number;
  model: string | null;
  /** Bailian wants one thinking mode per batch too: the body's enable_thinking, as JSON. */
  thinking?: string;
}

export interface PlannedPart {
  /** 1-based. */
  part: number;
  fromLine: number;
  toLine: number;
  requests: number;
  /** Bytes of the part's provider file (newlines included). */
  bytes: number;
  /** The part's one model, when the provider takes one model per batch. */
  model: string | null;
}

export type CutReason = "requests" | "bytes" | "model";

export interface SplitPlan {
  parts: PlannedPart[];
  /** Why parts were cut (each at most once, in the order first met). */
  reasons: CutReason[];
  requests: number;
  bytes: number;
  /** The limits the plan kept to (the profile's, tightened by the endpoint's own rules). */
  limits: { maxRequests: number; maxFileBytes: number; oneModelPerBatch: boolean };
}

export interface PlanOptions {
  /** Number the first part so (resuming a job after its first parts launched). */
  firstPart?: number;
  /** More parts than this is refused: nobody wants hundreds of batches from one file. */
  maxParts?: number;
  /** A one-model file whose models are interleaved is refused once it would need more parts than this. */
  maxModelRuns?: number;
}

/** The most parts one job may have: Batchboard's job limit (profiles.ts), which the upload's file limits follow too. */
export const MAX_PARTS = JOB_LIMITS.maxParts;
export const MAX_MODEL_RUNS = 50;
const MAX_LISTED = 10;
const fmt = (n: number) => n.toLocaleString("en-US");

/** The limits a part must keep to on this profile and endpoint. */
export function splitLimits(profile: ProviderProfile, endpoint: string): SplitPlan["limits"] {
  const rule = profile.endpointRules?.[endpoint];
  return {
    maxRequests: Math.min(profile.limits.maxRequests, rule?.maxRequests ?? Infinity),
    maxFileBytes: Math.min(profile.limits.maxFileBytes, rule?.maxFileBytes ?? Infinity),
    oneModelPerBatch: profile.limits.oneModelPerBatch,
  };
}

/** "one model per batch" parts keep one thinking mode too; the key says both. */
const modelKey = (l: PlanLine) => `${l.model ?? ""}\u0000${l.thinking ?? "null"}`;

/**
 * The planner: add() each line in line order, then finish() for the plan. Throws a UserError (from
 * finish, or from add once the answer is certain) when no split can make the file fit: a line too
 * big (or otherwise refused) on its own, interleaved models, or too many parts.
 */
export function createPlanner(profile: ProviderProfile, endpoint: string, opts: PlanOptions = {}) {
  const limits = splitLimits(profile, endpoint);
  const maxParts = opts.maxParts ?? MAX_PARTS;
  const maxModelRuns = opts.maxModelRuns ?? MAX_MODEL_RUNS;
  const firstPart = opts.firstPart ?? 1;
  const parts: PlannedPart[] = [];
  const reasons: CutReason[] = [];
  const problems: ProfileProblem[] = [];
  let problemCount = 0;
  let cur: (PlannedPart & { key: string }) | null = null;
  let requests = 0;
  let bytes = 0;
  // One-model providers: runs of one model, and whether a model came back after another.
  const seen = new Set<string>();
  const models: string[] = [];
  let runs = 0;
  let lastKey: string | null = null;
  let interleaved = false;

  const cut = (why: CutReason) => {
    if (!reasons.includes(why)) reasons.push(why);
    cur = null;
  };

  function refuseInterleaved(): never {
    const named = models.slice(0, MAX_LISTED).map((m) => m || "(no model)").join(", ");
    throw new UserError(
      `${profile.label} takes one model per batch, and this file's models are interleaved (${named}${models.length > MAX_LISTED ? ", …" : ""}): ` +
        `split in line order it would need more than ${fmt(maxModelRuns)} batches. Sort the file by model (all lines of one model together) and upload it again.`,
    );
  }

  function add(l: PlanLine) {
    const size = l.bytes + 1;
    const found = checkLineForProfile(profile, { line: l.line, customId: l.customId, bytes: l.bytes });
    if (!found.length && size > limits.maxFileBytes) {
      found.push({ line: l.line, message: `Line ${l.line} alone is ${formatBytes(size)}, over ${profile.label}'s limit of ${formatBytes(limits.maxFileBytes)} per file.` });
    }
    if (found.length) {
      problemCount += found.length;
      if (problems.length < MAX_LISTED) problems.push(...found);
      return;
    }
    if (problemCount) return; // nothing will be planned: only keep counting problems
    requests++;
    bytes += size;
    const key = limits.oneModelPerBatch ? modelKey(l) : "";
    if (limits.oneModelPerBatch && key !== lastKey) {
      runs++;
      if (seen.has(key)) interleaved = true;
      else {
        seen.add(key);
        if (!models.includes(l.model ?? "")) models.push(l.model ?? "");
      }
      lastKey = key;
      if (interleaved && runs > maxModelRuns) refuseInterleaved();
    }
    if (cur) {
      if (cur.requests + 1 > limits.maxRequests) cut("requests");
      else if (cur.bytes + size > limits.maxFileBytes) cut("bytes");
      else if (limits.oneModelPerBatch && key !== cur.key) cut("model");
    }
    if (!cur) {
      if (parts.length >= maxParts) {
        throw new UserError(
          `Split for ${profile.label}'s limits (${describeLimits(limits)}), this file would need more than ${fmt(maxParts)} batches. ` +
            `Split it into smaller files first${profile.custom ? ", or raise the connection's limits" : ""}.`,
        );
      }
      cur = { part: firstPart + parts.length, fromLine: l.line, toLine: l.line, requests: 0, bytes: 0, model: limits.oneModelPerBatch ? l.model : null, key };
      parts.push(cur);
    }
    cur.toLine = l.line;
    cur.requests++;
    cur.bytes += size;
  }

  function finish(): SplitPlan {
    if (problemCount) throw unsplittable(profile, problems, problemCount);
    return {
      parts: parts.map(({ part, fromLine, toLine, requests: r, bytes: b, model }) => ({ part, fromLine, toLine, requests: r, bytes: b, model })),
      reasons,
      requests,
      bytes,
      limits,
    };
  }

  return { add, finish };
}

/** Lines no batch can take whatever the split: named, with what is wrong with each. */
function unsplittable(profile: ProviderProfile, problems: ProfileProblem[], count: number) {
  const lines = [...new Set(problems.map((p) => p.line!))];
  const head =
    count === 1
      ? `${problems[0].message} A line cannot be split across batches: shorten it or remove it from the file.`
      : `${count} problems on lines no batch of ${profile.label} can take (lines ${lines.join(", ")}${count > problems.length ? ", …" : ""}); a line cannot be split across batches. ${problems
          .map((p) => p.message)
          .join(" ")}`;
  return new UserError(head);
}

export function describeLimits(l: SplitPlan["limits"]): string {
  const out = [plural(l.maxRequests, "request"), formatBytes(l.maxFileBytes)];
  if (l.oneModelPerBatch) out.push("one model");
  return `${out.join(", ")} per batch`;
}

/** The plan of a list of lines (tests, and anything already in memory). */
export function planLines(profile: ProviderProfile, endpoint: string, lines: Iterable<PlanLine>, opts?: PlanOptions): SplitPlan {
  const p = createPlanner(profile, endpoint, opts);
  for (const l of lines) p.add(l);
  return p.finish();
}

const PAGE = 1000;

/**
 * Plans a stored file's parts from its Request rows, in line order by (line, id) keyset pages: the
 * bytes of each line are those the launch will send. With afterLine, only the lines after it
 * (the rest of a job whose first parts were launched).
 */
export async function planFileParts(
  prisma: Db,
  fileId: string,
  endpoint: string,
  profile: ProviderProfile,
  opts: PlanOptions & { afterLine?: number } = {},
): Promise<SplitPlan> {
  const planner = createPlanner(profile, endpoint, opts);
  const db = sql(prisma);
  // Through the raw driver with a row-value keyset, which the (fileId, line) index serves page after
  // page: Prisma's OR form of the same keyset was read from the file's start each page (quadratic:
  // 361 s for 1,000,000 rows on PostgreSQL).
  let cursor: { line: number; id: number | bigint } = { line: opts.afterLine ?? 0, id: Number.MAX_SAFE_INTEGER };
  for (;;) {
    const page: { id: number | bigint; line: number; customId: string; model: string | null; body: unknown }[] = await db.query(
      `SELECT "id", "line", "customId", "model", "body" FROM "Request" WHERE "fileId" = $1 AND ("line", "id") > ($2, $3) ORDER BY "line", "id" LIMIT ${PAGE}`,
      [fileId, cursor.line, cursor.id],
    );
    for (const r of page) {
      const body = (typeof r.body === "string" ? JSON.parse(r.body) : r.body) as Record<string, unknown> | null;
      planner.add({
        line: r.line,
        customId: r.customId,
        bytes: Buffer.byteLength(providerLine(r.customId, endpoint, body)) - 1,
        model: typeof body?.model === "string" ? body.model : r.model,
        thinking: JSON.stringify(body?.enable_thinking ?? null),
      });
    }
    if (page.length < PAGE) break;
    const last = page[page.length - 1];
    cursor = { line: last.line, id: last.id };
  }
  return planner.finish();
}

/**
 * The name a part is sent to the provider under: the job's name and "(part 2 of 5)", the name cut
 * short where the provider keeps names short (Bailian's ds_name: 100 characters).
 */
export function partProviderName(name: string, part: number, of: number, max = 200): string {
  // A job of one part (a single batch that waited in the queue) is sent under its own name.
  if (of === 1 && part === 1) return name.length > Math.min(max, 200) ? `${name.slice(0, Math.min(max, 200) - 1)}…` : name;
  const suffix = ` (part ${part} of ${of})`;
  const room = Math.max(1, Math.min(max, 200) - suffix.length);
  return (name.length > room ? `${name.slice(0, room - 1)}…` : name) + suffix;
}
