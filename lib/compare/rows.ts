// A page of a comparison's rows, aligned by custom_id and listed in the input's order: first every
// custom_id batch A has, by the line of its request, then those only batch B has, by B's lines.
// Each section is read by keyset on its driving batch's (line, id) index from a cursor and looks
// each row up in the other batch through the (batchId, customId) unique index, so page 1,000 costs
// what page 1 does; the rows only B has are an anti-join on the same index (skipped when the
// summary says B has none of its own). Measured on PGlite at 50,000 rows a side (compare.perf.test.ts
// prints the plans): a page 10-60 ms, a filter that must walk every row 0.5-1 s, a search up to ~4 s.
import "server-only";
import type { Db } from "@/lib/db/client";
import { sql } from "@/lib/db/sql";
import { Prisma } from "@/lib/generated/prisma/client";
import { ParamError } from "@/lib/http/params";
import { likePattern } from "@/lib/results/sql";
import { parseCompareFilter } from "./params";
import { norm } from "./summary";
import type { CompareFilter, CompareInput, ComparePage, CompareQuery, CompareRow, CompareSideResult } from "./types";

export const COMPARE_PAGE_SIZE = 50;
/** The most rows one page may hold (the CSV reads pages of this size). */
export const MAX_COMPARE_PAGE_SIZE = 1000;

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
  const pageSize = Math.min(Math.max(1, Math.floor(query.pageSize ?? COMPARE_PAGE_SIZE)), MAX_COMPARE_PAGE_SIZE);
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
