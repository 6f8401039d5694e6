// Two batches of the team side by side, row by row: the same custom_id run on two models or two
// providers. Rows are aligned by custom_id (a full outer join of the two batches' Result rows) and
// listed in the input's order: first every custom_id batch A has, by the line of its request, then
// those only batch B has, by B's lines. Aggregates (how many answers changed, what only one side
// has, tokens on each side) come from one statement over the join.
//
// Speed at 50,000 rows a side without new indexes (the schema is fixed): a page walks A's rows on
// the (batchId, line, id) index from a keyset cursor and looks each one up in B through the
// (batchId, customId) unique index, so page 1,000 costs what page 1 does; the rows only B has are
// an anti-join on the same index (skipped when the summary says B has none of its own). The
// summary is one hash join of the two batches, kept while both stay finished. Measured on PGlite
// (compare.perf.test.ts prints the plans): a page 10-60 ms, a filter that must walk every row
// 0.5-1 s, a search up to ~4 s, the summary ~1.5 s (then ~10 ms), the 50,050-row CSV ~4 s.
import "server-only";
import { Readable } from "node:stream";
import { csvHeader, csvRecords } from "@/lib/csv/write";
import type { Db } from "@/lib/db/client";
import { sql } from "@/lib/db/sql";
import { Prisma } from "@/lib/generated/prisma/client";
import type { BatchStatus } from "@/lib/generated/prisma/enums";
import { ParamError } from "@/lib/http/params";
import { profiles } from "@/lib/providers/profiles";
import { isTerminal } from "@/lib/providers/status";
import { likePattern } from "./queries";
import { summarizeBatches } from "./summary";

export const COMPARE_FILTERS = ["all", "changed", "same", "one_failed", "both_failed", "only_a", "only_b"] as const;
export type CompareFilter = (typeof COMPARE_FILTERS)[number];

export const COMPARE_PAGE_SIZE = 50;
const MAX_PAGE_SIZE = 1000;

export interface TokenTotals {
  prompt: number;
  completion: number;
  reasoning: number;
  total: number;
}

/** One batch as the comparison shows it. */
export interface ComparedBatch {
  id: string;
  name: string;
  status: BatchStatus;
  terminal: boolean;
  endpoint: string;
  completionWindow: string;
  createdAt: string;
  resultCount: number;
  /** When its results were all stored (null while they may still change). */
  resultsIngestedAt: string | null;
  updatedAt: string;
  connection: { name: string; kind: string; providerLabel: string };
  inputFile: { id: string; name: string; models: string[] };
}

/** What a cost plugs in as (see compareCost): each side's cost and B minus A. */
export interface CostComparison {
  currency: string;
  a: number;
  b: number;
  diff: number;
}

export interface CompareSummary {
  /** custom_ids with a result in both batches. */
  shared: number;
  /** Rows both batches answered (succeeded on both sides): what "changed" is counted among. */
  bothAnswered: number;
  changed: number;
  same: number;
  /** changed / bothAnswered, or null when no row was answered by both. */
  changedShare: number | null;
  onlyA: number;
  onlyB: number;
  bothFailed: number;
  /** Failed in A only (B answered), and failed in B only (A answered). */
  failedInA: number;
  failedInB: number;
  oneFailed: number;
  /** Rows each filter shows (without a search). */
  counts: Record<CompareFilter, number>;
  /** Every result of each side; diff is B minus A. */
  tokens: { a: TokenTotals; b: TokenTotals; diff: TokenTotals };
  /** Only the rows both answered: like for like when one side has rows the other lacks. */
  sharedTokens: { a: TokenTotals; b: TokenTotals; diff: TokenTotals };
  /** null until a price is known for both sides (compareCost). */
  cost: CostComparison | null;
}

export interface CompareSideResult {
  succeeded: boolean;
  statusCode: number | null;
  model: string | null;
  content: string | null;
  finishReason: string | null;
  errorCode: string | null;
  errorMessage: string | null;
  promptTokens: number | null;
  completionTokens: number | null;
  reasoningTokens: number | null;
  totalTokens: number | null;
}

export interface CompareRow {
  customId: string;
  /** The line of the request in its batch's input file (A's, or B's for a row only B has). */
  line: number | null;
  /** The prompt of A's input file (B's for a row only B has). */
  prompt: string | null;
  /** B's prompt, only when the two input files differ and so does the prompt. */
  promptB: string | null;
  a: CompareSideResult | null;
  b: CompareSideResult | null;
  /** Both answered and the answers differ once surrounding whitespace is trimmed; null unless both answered. */
  changed: boolean | null;
}

export interface CompareQuery {
  filter?: CompareFilter;
  /** Case-insensitive text in custom_id, prompt or either answer. */
  q?: string;
  /** A cursor from a previous page's `next`. */
  after?: string | null;
  pageSize?: number;
}

export interface ComparePage {
  rows: CompareRow[];
  /** The cursor of the next page, or null on the last one. */
  next: string | null;
}

/** What reading rows needs; the summary, when given, lets a page skip a section it knows is empty. */
export type CompareInput = Pick<Comparison, "a" | "b" | "sameInput"> & { summary?: Pick<CompareSummary, "onlyB"> };

export interface Comparison {
  a: ComparedBatch;
  b: ComparedBatch;
  sameInput: boolean;
  summary: CompareSummary;
}

const iso = (d: Date) => d.toISOString();

export function parseCompareFilter(v: unknown): CompareFilter {
  return COMPARE_FILTERS.includes(v as CompareFilter) ? (v as CompareFilter) : "all";
}

/** One batch of the team, or null when absent or another team's. */
export async function comparedBatch(prisma: Db, teamId: string, id: string): Promise<ComparedBatch | null> {
  if (!id) return null;
  const b = await prisma.batch.findFirst({
    where: { id, teamId },
    select: {
      id: true,
      name: true,
      status: true,
      endpoint: true,
      completionWindow: true,
      createdAt: true,
      resultCount: true,
      resultsIngestedAt: true,
      updatedAt: true,
      connection: { select: { name: true, kind: true } },
      inputFile: { select: { id: true, name: true, models: true } },
    },
  });
  if (!b) return null;
  return {
    id: b.id,
    name: b.name,
    status: b.status,
    terminal: isTerminal(b.status),
    endpoint: b.endpoint,
    completionWindow: b.completionWindow,
    createdAt: iso(b.createdAt),
    resultCount: b.resultCount,
    resultsIngestedAt: b.resultsIngestedAt ? iso(b.resultsIngestedAt) : null,
    updatedAt: iso(b.updatedAt),
    connection: { ...b.connection, providerLabel: profiles[b.connection.kind]?.label ?? b.connection.kind },
    inputFile: b.inputFile,
  };
}

/** The team's batches that can be compared (finished ones), newest first, for the pickers. */
export async function comparableBatches(prisma: Db, teamId: string, limit = 300): Promise<ComparedBatch[]> {
  const rows = await prisma.batch.findMany({
    where: { teamId, status: { in: ["COMPLETED", "FAILED", "EXPIRED", "CANCELLED"] }, resultCount: { gt: 0 } },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: limit,
    select: { id: true },
  });
  const out = await Promise.all(rows.map((r) => comparedBatch(prisma, teamId, r.id)));
  return out.filter((b): b is ComparedBatch => b !== null);
}

/**
 * The comparison of two batches of the team, with its summary; null when either batch is absent
 * or belongs to another team (the caller says "not found", never "forbidden").
 */
export async function compareBatches(prisma: Db, teamId: string, aId: string, bId: string): Promise<Comparison | null> {
  const [a, b] = await Promise.all([comparedBatch(prisma, teamId, aId), comparedBatch(prisma, teamId, bId)]);
  if (!a || !b) return null;
  const summary = structuredClone(await cachedSummary(prisma, a, b));
  summary.cost = await compareCost(prisma, teamId, { batch: a, tokens: summary.tokens.a }, { batch: b, tokens: summary.tokens.b });
  return { a, b, sameInput: a.inputFile.id === b.inputFile.id, summary };
}

/**
 * Each side's actual cost from its results' tokens at the team's prices (lib/batches/summary.ts),
 * and B minus A: null unless every result with tokens on both sides is priced, in one currency.
 */
export async function compareCost(
  prisma: Db,
  _teamId: string,
  a: { batch: ComparedBatch; tokens: TokenTotals },
  b: { batch: ComparedBatch; tokens: TokenTotals },
): Promise<CostComparison | null> {
  const { byBatch } = await summarizeBatches(prisma, [a.batch.id, b.batch.id]);
  const [sa, sb] = [byBatch[a.batch.id], byBatch[b.batch.id]];
  if (!sa || !sb || sa.unpricedResults > 0 || sb.unpricedResults > 0) return null;
  if (sa.cost.length !== 1 || sb.cost.length !== 1 || sa.cost[0].currency !== sb.cost[0].currency) return null;
  const round = (n: number) => Math.round(n * 1e8) / 1e8;
  return { currency: sa.cost[0].currency, a: round(sa.cost[0].amount), b: round(sb.cost[0].amount), diff: round(sb.cost[0].amount - sa.cost[0].amount) };
}

// ------------------------------------------------------------------------------------ summary

/** Answers compared with surrounding whitespace trimmed (a trailing newline is not a change). */
const norm = (col: Prisma.Sql) => Prisma.sql`btrim(${col}, E' \\t\\r\\n')`;

interface RawSummary {
  shared: number;
  bothAnswered: number;
  changed: number;
  onlyA: number;
  onlyB: number;
  bothFailed: number;
  failedInA: number;
  failedInB: number;
  aPrompt: number | null;
  aCompletion: number | null;
  aReasoning: number | null;
  aTotal: number | null;
  bPrompt: number | null;
  bCompletion: number | null;
  bReasoning: number | null;
  bTotal: number | null;
  saPrompt: number | null;
  saCompletion: number | null;
  saReasoning: number | null;
  saTotal: number | null;
  sbPrompt: number | null;
  sbCompletion: number | null;
  sbReasoning: number | null;
  sbTotal: number | null;
}

const totals = (prompt: number | null, completion: number | null, reasoning: number | null, total: number | null): TokenTotals => ({
  prompt: Number(prompt ?? 0),
  completion: Number(completion ?? 0),
  reasoning: Number(reasoning ?? 0),
  total: Number(total ?? 0),
});

const minus = (b: TokenTotals, a: TokenTotals): TokenTotals => ({
  prompt: b.prompt - a.prompt,
  completion: b.completion - a.completion,
  reasoning: b.reasoning - a.reasoning,
  total: b.total - a.total,
});

// A finished batch's results do not change, so its summary is kept (per database client, a few
// dozen pairs) while both batches stay as they were: paging through a comparison then costs the
// pages only, not the whole join each time (about a second at 50,000 rows a side on PGlite).
const SUMMARY_CACHE_SIZE = 50;
const CACHE_KEY = Symbol.for("batchboard.compare.summaries");
const g = globalThis as unknown as Record<symbol, WeakMap<object, Map<string, CompareSummary>> | undefined>;
const summaries = (g[CACHE_KEY] ??= new WeakMap<object, Map<string, CompareSummary>>());

async function cachedSummary(prisma: Db, a: ComparedBatch, b: ComparedBatch): Promise<CompareSummary> {
  const settled = (x: ComparedBatch) => x.terminal && x.resultsIngestedAt !== null;
  if (!settled(a) || !settled(b)) return summarise(prisma, a, b);
  const key = [a, b].map((x) => `${x.id}:${x.resultCount}:${x.resultsIngestedAt}:${x.updatedAt}`).join("|");
  let cache = summaries.get(prisma);
  if (!cache) summaries.set(prisma, (cache = new Map()));
  const hit = cache.get(key);
  if (hit) {
    // Most recently used last: the first key is the one to drop.
    cache.delete(key);
    cache.set(key, hit);
    return hit;
  }
  const fresh = await summarise(prisma, a, b);
  cache.set(key, fresh);
  if (cache.size > SUMMARY_CACHE_SIZE) cache.delete(cache.keys().next().value!);
  return fresh;
}

// The answers enter the join as md5 digests (16 bytes as uuid), not as text, to keep the hashed rows
// narrow. At 50,000 rows a side on PGlite the join takes 1.3-1.8 s (compare.perf.test.ts prints the
// plan), hence the cache above.
/** The summary computed afresh (compareBatches keeps it while the batches stay as they are). */
export async function summarise(prisma: Db, a: ComparedBatch, b: ComparedBatch): Promise<CompareSummary> {
  const side = (id: string) => Prisma.sql`
    SELECT "customId", "succeeded", md5(${norm(Prisma.sql`"content"`)})::uuid AS c, "promptTokens" AS pt, "completionTokens" AS ct,
      "reasoningTokens" AS rt, COALESCE("totalTokens", COALESCE("promptTokens", 0) + COALESCE("completionTokens", 0)) AS tt
    FROM "Result" WHERE "batchId" = ${id}`;
  const both = Prisma.sql`a.succeeded AND b.succeeded`;
  const [r] = await sql(prisma).query<RawSummary>(Prisma.sql`
    SELECT
      count(*) FILTER (WHERE a."customId" IS NOT NULL AND b."customId" IS NOT NULL)::int AS "shared",
      count(*) FILTER (WHERE ${both})::int AS "bothAnswered",
      count(*) FILTER (WHERE ${both} AND a.c IS DISTINCT FROM b.c)::int AS "changed",
      count(*) FILTER (WHERE b."customId" IS NULL)::int AS "onlyA",
      count(*) FILTER (WHERE a."customId" IS NULL)::int AS "onlyB",
      count(*) FILTER (WHERE NOT a.succeeded AND NOT b.succeeded)::int AS "bothFailed",
      count(*) FILTER (WHERE NOT a.succeeded AND b.succeeded)::int AS "failedInA",
      count(*) FILTER (WHERE a.succeeded AND NOT b.succeeded)::int AS "failedInB",
      sum(a.pt)::float8 AS "aPrompt", sum(a.ct)::float8 AS "aCompletion", sum(a.rt)::float8 AS "aReasoning", sum(a.tt)::float8 AS "aTotal",
      sum(b.pt)::float8 AS "bPrompt", sum(b.ct)::float8 AS "bCompletion", sum(b.rt)::float8 AS "bReasoning", sum(b.tt)::float8 AS "bTotal",
      sum(a.pt) FILTER (WHERE ${both})::float8 AS "saPrompt", sum(a.ct) FILTER (WHERE ${both})::float8 AS "saCompletion",
      sum(a.rt) FILTER (WHERE ${both})::float8 AS "saReasoning", sum(a.tt) FILTER (WHERE ${both})::float8 AS "saTotal",
      sum(b.pt) FILTER (WHERE ${both})::float8 AS "sbPrompt", sum(b.ct) FILTER (WHERE ${both})::float8 AS "sbCompletion",
      sum(b.rt) FILTER (WHERE ${both})::float8 AS "sbReasoning", sum(b.tt) FILTER (WHERE ${both})::float8 AS "sbTotal"
    FROM (${side(a.id)}) a FULL JOIN (${side(b.id)}) b ON a."customId" = b."customId"`);
  const ta = totals(r.aPrompt, r.aCompletion, r.aReasoning, r.aTotal);
  const tb = totals(r.bPrompt, r.bCompletion, r.bReasoning, r.bTotal);
  const sa = totals(r.saPrompt, r.saCompletion, r.saReasoning, r.saTotal);
  const sb = totals(r.sbPrompt, r.sbCompletion, r.sbReasoning, r.sbTotal);
  const same = r.bothAnswered - r.changed;
  const oneFailed = r.failedInA + r.failedInB;
  return {
    shared: r.shared,
    bothAnswered: r.bothAnswered,
    changed: r.changed,
    same,
    changedShare: r.bothAnswered > 0 ? r.changed / r.bothAnswered : null,
    onlyA: r.onlyA,
    onlyB: r.onlyB,
    bothFailed: r.bothFailed,
    failedInA: r.failedInA,
    failedInB: r.failedInB,
    oneFailed,
    counts: {
      all: r.shared + r.onlyA + r.onlyB,
      changed: r.changed,
      same,
      one_failed: oneFailed,
      both_failed: r.bothFailed,
      only_a: r.onlyA,
      only_b: r.onlyB,
    },
    tokens: { a: ta, b: tb, diff: minus(tb, ta) },
    sharedTokens: { a: sa, b: sb, diff: minus(sb, sa) },
    cost: null,
  };
}

// ------------------------------------------------------------------------------------ rows

/** Where a page ended: in A's section (its rows, shared or not) or in the rows only B has; then (line, id) there. */
interface Cursor {
  section: "a" | "b";
  line: number | null;
  id: string;
}

export function encodeCursor(c: Cursor): string {
  return `${c.section}.${c.line ?? "_"}.${c.id}`;
}

/** A cursor from a URL: none starts from the beginning; one that is not ours is a ParamError. */
export function decodeCursor(s: string | null | undefined): Cursor | null {
  if (!s) return null;
  // A line fits an int; 18 digits of id always fit a bigint (19 may not: 22003 out of range).
  const m = /^([ab])\.(\d{1,9}|_)\.(\d{1,18})$/.exec(s);
  if (!m) throw new ParamError("after", 'The parameter "after" is not a position in this comparison: this page link is out of date. Open the comparison again.');
  return { section: m[1] as "a" | "b", line: m[2] === "_" ? null : Number(m[2]), id: m[3] };
}

const sideColumns = (alias: "a" | "b") => {
  const t = Prisma.raw(alias);
  const p = (c: string) => Prisma.raw(`"${alias}_${c}"`);
  return Prisma.sql`${t}."id" IS NOT NULL AS ${p("present")}, ${t}."succeeded" AS ${p("succeeded")}, ${t}."statusCode" AS ${p("statusCode")},
    ${t}."model" AS ${p("model")}, ${t}."content" AS ${p("content")}, ${t}."finishReason" AS ${p("finishReason")},
    ${t}."errorCode" AS ${p("errorCode")}, ${t}."errorMessage" AS ${p("errorMessage")}, ${t}."promptTokens" AS ${p("promptTokens")},
    ${t}."completionTokens" AS ${p("completionTokens")}, ${t}."reasoningTokens" AS ${p("reasoningTokens")}, ${t}."totalTokens" AS ${p("totalTokens")}`;
};

type RawSide<P extends string> = {
  [K in keyof CompareSideResult as `${P}_${K & string}`]: CompareSideResult[K] | null;
} & { [K in `${P}_present`]: boolean };

type RawRow = RawSide<"a"> &
  RawSide<"b"> & {
    section: "a" | "b";
    key_line: number | null;
    key_id: number | bigint | string;
    customId: string;
    prompt: string | null;
    promptB: string | null;
    changed: boolean | null;
  };

function sideOf(r: RawRow, p: "a" | "b"): CompareSideResult | null {
  const x = r as unknown as Record<string, unknown>;
  if (!x[`${p}_present`]) return null;
  const get = <T>(k: string) => (x[`${p}_${k}`] ?? null) as T;
  return {
    succeeded: Boolean(get("succeeded")),
    statusCode: get("statusCode"),
    model: get("model"),
    content: get("content"),
    finishReason: get("finishReason"),
    errorCode: get("errorCode"),
    errorMessage: get("errorMessage"),
    promptTokens: get("promptTokens"),
    completionTokens: get("completionTokens"),
    reasoningTokens: get("reasoningTokens"),
    totalTokens: get("totalTokens"),
  };
}

/** What a row needs of the other side's result, looked up by custom_id. */
const lookupColumns = Prisma.raw(
  ["id", "succeeded", "statusCode", "model", "content", "finishReason", "errorCode", "errorMessage", "promptTokens", "completionTokens", "reasoningTokens", "totalTokens"]
    .map((c) => `x."${c}"`)
    .join(", "),
);

function filterSql(filter: CompareFilter): Prisma.Sql | null {
  const changed = Prisma.sql`${norm(Prisma.sql`a."content"`)} IS DISTINCT FROM ${norm(Prisma.sql`b."content"`)}`;
  switch (filter) {
    case "changed":
      return Prisma.sql`a."succeeded" AND b."succeeded" AND ${changed}`;
    case "same":
      return Prisma.sql`a."succeeded" AND b."succeeded" AND NOT (${changed})`;
    case "one_failed":
      return Prisma.sql`a."succeeded" <> b."succeeded"`;
    case "both_failed":
      return Prisma.sql`NOT a."succeeded" AND NOT b."succeeded"`;
    case "only_a":
      return Prisma.sql`b."id" IS NULL`;
    case "only_b":
      return Prisma.sql`a."id" IS NULL`;
    default:
      return null;
  }
}

/** Which sections a filter can have rows in: only B's own rows lack an A side. */
const sectionsOf = (filter: CompareFilter): ("a" | "b")[] => (filter === "all" ? ["a", "b"] : filter === "only_b" ? ["b"] : ["a"]);

/**
 * One page of aligned rows. Each section is read by keyset on its driving batch's (line, id),
 * rows with a line first (a range of the (batchId, line, id) index), then those without, by id.
 */
export async function compareRows(prisma: Db, cmp: CompareInput, query: CompareQuery = {}): Promise<ComparePage> {
  const filter = parseCompareFilter(query.filter);
  const q = (query.q ?? "").trim().slice(0, 200);
  const pageSize = Math.min(Math.max(1, Math.floor(query.pageSize ?? COMPARE_PAGE_SIZE)), MAX_PAGE_SIZE);
  // Most comparisons are of one input: nothing only B has, and no anti-join to pay for it.
  const sections = sectionsOf(filter).filter((s) => s === "a" || cmp.summary?.onlyB !== 0);
  let cursor = decodeCursor(query.after);
  const rows: CompareRow[] = [];
  let last: RawRow | undefined;
  for (const section of sections) {
    if (cursor && cursor.section === "b" && section === "a") continue;
    const after = cursor?.section === section ? cursor : null;
    const want = pageSize + 1 - rows.length;
    const got = await readSection(prisma, cmp, section, filter, q, after, want);
    for (const r of got) {
      if (rows.length === pageSize) break;
      rows.push(toRow(r));
      last = r;
    }
    if (rows.length === pageSize) {
      // One more row (here or in the next section) says whether a next page exists.
      const more = got.length > want - 1 || (await hasMoreAfter(prisma, cmp, sections, section, filter, q));
      return { rows, next: more && last ? encodeCursor({ section: last.section, line: last.key_line, id: String(last.key_id) }) : null };
    }
    cursor = null;
  }
  return { rows, next: null };
}

async function hasMoreAfter(prisma: Db, cmp: CompareInput, sections: ("a" | "b")[], current: "a" | "b", filter: CompareFilter, q: string) {
  const rest = sections.slice(sections.indexOf(current) + 1);
  // Without a search, a section left in the list has rows (empty ones were dropped by the summary).
  if (!q && cmp.summary) return rest.length > 0;
  for (const s of rest) if ((await readSection(prisma, cmp, s, filter, q, null, 1)).length > 0) return true;
  return false;
}

function toRow(r: RawRow): CompareRow {
  return {
    customId: r.customId,
    line: r.key_line,
    prompt: r.prompt,
    promptB: r.promptB,
    a: sideOf(r, "a"),
    b: sideOf(r, "b"),
    changed: r.changed,
  };
}

function readSection(
  prisma: Db,
  cmp: CompareInput,
  section: "a" | "b",
  filter: CompareFilter,
  q: string,
  after: Cursor | null,
  limit: number,
): Promise<RawRow[]> {
  // The driving side: its rows are walked in order; the other side is looked up by custom_id.
  const [drive, other] = section === "a" ? (["a", "b"] as const) : (["b", "a"] as const);
  const driveBatch = section === "a" ? cmp.a : cmp.b;
  const otherBatch = section === "a" ? cmp.b : cmp.a;
  const d = Prisma.raw(drive);
  const o = Prisma.raw(other);
  const where: Prisma.Sql[] = [Prisma.sql`${d}."batchId" = ${driveBatch.id}`];
  // B's own section holds only what A lacks.
  if (section === "b") where.push(Prisma.sql`a."id" IS NULL`);
  const f = filterSql(filter);
  if (f) where.push(f);
  if (q) {
    const p = likePattern(q);
    where.push(Prisma.sql`(${d}."customId" ILIKE ${p} OR req."prompt" ILIKE ${p} OR a."content" ILIKE ${p} OR b."content" ILIKE ${p})`);
  }
  // The prompt shown is the driving side's request; B's prompt beside it when the files differ.
  const driveFile = driveBatch.inputFile.id;
  const reqB = cmp.sameInput
    ? Prisma.sql`NULL::text AS "promptB"`
    : section === "a"
      ? Prisma.sql`(SELECT rb."prompt" FROM "Request" rb WHERE rb."fileId" = ${cmp.b.inputFile.id} AND rb."customId" = a."customId"
          AND rb."prompt" IS DISTINCT FROM req."prompt") AS "promptB"`
      : Prisma.sql`NULL::text AS "promptB"`;
  // The lookups are LATERAL ... LIMIT 1 so that they stay one index probe per row read, in the
  // driving side's index order, whatever the LIMIT: as plain joins the planner turns to hashing
  // both batches whole once a page is large (an export's 1,000 rows), which is 30x slower here.
  const select = (cond: Prisma.Sql, order: Prisma.Sql) => Prisma.sql`
    SELECT ${section} AS "section", ${d}."line" AS "key_line", ${d}."id" AS "key_id", ${d}."customId" AS "customId",
      req."prompt" AS "prompt", ${reqB},
      CASE WHEN a."succeeded" AND b."succeeded" THEN ${norm(Prisma.sql`a."content"`)} IS DISTINCT FROM ${norm(Prisma.sql`b."content"`)} END AS "changed",
      ${sideColumns("a")}, ${sideColumns("b")}
    FROM "Result" ${d}
    LEFT JOIN LATERAL (
      SELECT ${lookupColumns} FROM "Result" x WHERE x."batchId" = ${otherBatch.id} AND x."customId" = ${d}."customId" LIMIT 1
    ) ${o} ON true
    LEFT JOIN LATERAL (
      SELECT r."prompt" FROM "Request" r WHERE r."fileId" = ${driveFile} AND r."customId" = ${d}."customId" LIMIT 1
    ) req ON true
    WHERE ${Prisma.join([...where, cond], " AND ")}
    ORDER BY ${order}
    LIMIT ${limit}`;
  const byLine = Prisma.sql`${d}."line", ${d}."id"`;
  const byId = Prisma.sql`${d}."id"`;
  const noLine = Prisma.sql`${d}."line" IS NULL`;
  const db = sql(prisma);
  if (after && after.line === null) {
    return db.query<RawRow>(select(Prisma.sql`${noLine} AND ${d}."id" > ${after.id}::bigint`, byId));
  }
  // A row comparison on (line, id) is a range of the index; rows without a line come after.
  const withLine = after ? Prisma.sql`(${d}."line", ${d}."id") > (${after.line}::int, ${after.id}::bigint)` : Prisma.sql`${d}."line" IS NOT NULL`;
  return db.query<RawRow>(Prisma.sql`
    (${select(withLine, byLine)}) UNION ALL (${select(noLine, byId)})
    ORDER BY "key_line", "key_id" LIMIT ${limit}`);
}

// ------------------------------------------------------------------------------------ CSV

export const COMPARE_CSV_COLUMNS = [
  "custom_id",
  "line",
  "prompt",
  "prompt_b",
  "status_a",
  "status_b",
  "changed",
  "answer_a",
  "answer_b",
  "error_a",
  "error_b",
  "model_a",
  "model_b",
  "prompt_tokens_a",
  "completion_tokens_a",
  "reasoning_tokens_a",
  "prompt_tokens_b",
  "completion_tokens_b",
  "reasoning_tokens_b",
] as const;

export const sideStatus = (s: CompareSideResult | null) => (!s ? "missing" : s.succeeded ? "succeeded" : "failed");

function csvRecord(r: CompareRow): unknown[] {
  const err = (s: CompareSideResult | null) => (s && !s.succeeded ? [s.errorCode, s.errorMessage].filter(Boolean).join(": ") || null : null);
  return [
    r.customId,
    r.line,
    r.prompt,
    r.promptB,
    sideStatus(r.a),
    sideStatus(r.b),
    r.changed === null ? null : r.changed ? "yes" : "no",
    r.a?.content ?? null,
    r.b?.content ?? null,
    err(r.a),
    err(r.b),
    r.a?.model ?? null,
    r.b?.model ?? null,
    r.a?.promptTokens ?? null,
    r.a?.completionTokens ?? null,
    r.a?.reasoningTokens ?? null,
    r.b?.promptTokens ?? null,
    r.b?.completionTokens ?? null,
    r.b?.reasoningTokens ?? null,
  ];
}

/**
 * The comparison as CSV, streamed: 1,000 rows a page by the same keyset as the page, the next page
 * asked for while this one is written, so a 50,000-row comparison never sits in memory.
 */
export function compareCsv(
  prisma: Db,
  cmp: CompareInput,
  query: Omit<CompareQuery, "after" | "pageSize"> = {},
  opts: { pageSize?: number; bom?: boolean } = {},
): Readable {
  const pageSize = opts.pageSize ?? MAX_PAGE_SIZE;
  return Readable.from(
    (async function* () {
      yield csvHeader(COMPARE_CSV_COLUMNS, opts.bom ?? false);
      let next: Promise<ComparePage> | null = compareRows(prisma, cmp, { ...query, pageSize });
      while (next) {
        const page: ComparePage = await next;
        next = page.next ? compareRows(prisma, cmp, { ...query, pageSize, after: page.next }) : null;
        next?.catch(() => {});
        if (page.rows.length > 0) yield csvRecords(page.rows.map(csvRecord));
      }
    })(),
    { objectMode: false },
  );
}
