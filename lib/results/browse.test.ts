// The results browser's reads on a real database: keyset pages for every filter and sort, walked
// to the end and compared with the same view computed in JS from the seed, plus the facets and
// the detail of one row.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DbHandle } from "@/lib/db/client";
import { sql } from "@/lib/db/sql";
import { createTestDb } from "@/lib/test/db";
import { browseResults, countView, resultDetail, resultFacets, setSearchLimitsForTests, viewCount } from "./browse";
import { buildSearchDocs, searchDocsReady } from "./search-docs";
import type { BrowseQuery } from "./types";
import { seedBatch, seedTeam, type SeedRow } from "./results.fixtures";

let h: DbHandle;
let batchId: string;
let otherBatchId: string;

const N = 240;
interface Spec {
  customId: string;
  line: number | null;
  ok: boolean;
  code: string | null;
  finish: string | null;
  model: string | null;
  prompt: string;
  content: string | null;
  pt: number | null;
  ct: number | null;
}

// Every 7th failed (two codes), every 5th success stopped at "length", two models, token counts
// with many ties, a search word in some prompts and some answers, one result whose custom_id the
// input lacks (no line), and one request with no result.
const specs: Spec[] = Array.from({ length: N }, (_, k) => {
  const i = k + 1;
  const ok = i % 7 !== 0;
  return {
    customId: `r-${String(i).padStart(3, "0")}`,
    line: i,
    ok,
    code: ok ? null : i % 2 ? "rate_limit" : "server_error",
    finish: ok ? (i % 5 === 0 ? "length" : "stop") : null,
    model: ok ? (i % 2 ? "model-odd" : "model-even") : null,
    prompt: i % 11 === 0 ? `Tell me about the Walrus ${i}` : `Question ${i}`,
    content: ok ? (i % 13 === 0 ? `The WALRUS answer ${i}` : `Answer ${i}`) : null,
    pt: ok ? (i * 37) % 19 : null,
    ct: ok ? (i * 13) % 7 : null,
  };
});
const stranger: Spec = { customId: "stranger", line: null, ok: true, code: null, finish: "stop", model: "model-odd", prompt: "", content: "who walrus?", pt: 3, ct: 3 };
const visible = [...specs.filter((s) => s.customId !== "r-240"), stranger]; // r-240 has no result

beforeAll(async () => {
  h = await createTestDb();
  const t = await seedTeam(h.prisma, "browse");
  const rows: SeedRow[] = specs.map((s) => ({
    customId: s.customId,
    prompt: s.prompt,
    result: s.customId === "r-240" ? undefined : s.ok ? { ok: true, content: s.content! } : { ok: false, code: s.code!, message: `failed: ${s.code}` },
  }));
  ({ batch: { id: batchId } } = await seedBatch(h.prisma, t, rows));
  await h.prisma.result.create({
    data: { batchId, customId: "stranger", succeeded: true, statusCode: 200, content: stranger.content, finishReason: "stop", model: "model-odd", promptTokens: 3, completionTokens: 3, totalTokens: 6, raw: {} },
  });
  // The fixture stores neither lines nor varied counts: set them as ingest would have.
  const db = sql(h.prisma);
  for (const s of specs) {
    await db.exec(
      `UPDATE "Result" SET "line" = $2, "finishReason" = $3, "model" = $4, "promptTokens" = $5, "completionTokens" = $6, "totalTokens" = $7 WHERE "batchId" = $1 AND "customId" = $8`,
      [batchId, s.line, s.finish, s.model, s.pt, s.ct, s.pt == null ? null : s.pt + s.ct!, s.customId],
    );
  }
  // Another team's batch with the same custom_ids: never mixed in.
  const other = await seedTeam(h.prisma, "other");
  ({ batch: { id: otherBatchId } } = await seedBatch(h.prisma, other, rows.slice(0, 20)));
});

afterAll(async () => {
  await h?.close();
});

/** Every row of a view, walking the keyset pages `limit` at a time; also checks the first page's count. */
async function walk(q: BrowseQuery, limit = 17) {
  const ids: string[] = [];
  let after: string | null = null;
  let total: number | null = null;
  for (let pages = 0; pages < 100; pages++) {
    const page = await browseResults(h.prisma, batchId, { ...q, after, limit, count: after === null });
    if (after === null) total = page.total;
    else expect(page.total).toBeNull();
    ids.push(...page.rows.map((r) => r.customId));
    if (!page.nextCursor) break;
    expect(page.rows).toHaveLength(limit);
    after = page.nextCursor;
  }
  expect(new Set(ids).size).toBe(ids.length); // no row twice across pages
  expect(total).toBe(ids.length);
  return ids;
}

/** Whether the search finds a row: custom_id, prompt or answer. */
const hit = (s: Spec, re: RegExp) => re.test(s.customId) || re.test(s.prompt) || re.test(s.content ?? "");
const inputOrder = (a: Spec, b: Spec) => (a.line ?? Infinity) - (b.line ?? Infinity);
const expectIds = (list: Spec[]) => list.map((s) => s.customId);

const searchCases: [string, BrowseQuery, (s: Spec) => boolean][] = [
  ["search in prompt and answer, any case", { q: "walrus" }, (s: Spec) => /walrus/i.test(s.prompt) || /walrus/i.test(s.content ?? "")],
  ["search and status", { q: "walrus", status: "failed" }, (s: Spec) => !s.ok && /walrus/i.test(s.prompt)],
  ["search in custom_id", { q: "R-00" }, (s: Spec) => s.customId.startsWith("r-00")],
  // One and two characters, and a query of digits only.
  ["search of two letters, any case", { q: "Us" }, (s: Spec) => hit(s, /us/i)],
  ["search of one character", { q: "?" }, (s: Spec) => hit(s, /\?/)],
  // No cased letter: LIKE alone (sql.ts containsSql).
  ["search of digits", { q: "13" }, (s: Spec) => hit(s, /13/)],
  // A wildcard of LIKE is a character like any other.
  ["search of a percent sign", { q: "%" }, () => false],
  ["search across two fields finds nothing", { q: "r-011tell" }, () => false],
];

describe("browseResults: keyset pages", () => {
  it("lists every result in input order, those without a line last, with prompts", async () => {
    expect(await walk({})).toEqual(expectIds([...visible].sort(inputOrder)));
    const first = await browseResults(h.prisma, batchId, { limit: 3 });
    expect(first.rows[0]).toMatchObject({ customId: "r-001", prompt: "Question 1", content: "Answer 1", line: 1, promptTokens: 37 % 19 });
    expect(typeof first.rows[0].id).toBe("string");
  });

  it.each([
    ["status failed", { status: "failed" }, (s: Spec) => !s.ok],
    ["status succeeded", { status: "succeeded" }, (s: Spec) => s.ok],
    ["error code", { code: "rate_limit" }, (s: Spec) => s.code === "rate_limit"],
    ["error code, which implies failed whatever the status says", { code: "rate_limit", status: "succeeded" }, (s: Spec) => s.code === "rate_limit"],
    ["finish reason", { finish: "length" }, (s: Spec) => s.finish === "length"],
    ["model", { model: "model-even" }, (s: Spec) => s.model === "model-even"],
    ["model and finish reason", { model: "model-odd", finish: "length" }, (s: Spec) => s.model === "model-odd" && s.finish === "length"],
    ...searchCases,
    ["a value nobody has", { code: "nope" }, () => false],
  ] as [string, BrowseQuery, (s: Spec) => boolean][])("filters by %s", async (_name, q, keep) => {
    expect(await walk(q, 7)).toEqual(expectIds(visible.filter(keep).sort(inputOrder)));
  });

  it.each([
    ["total_tokens", (s: Spec) => (s.pt == null ? null : s.pt + s.ct!), false],
    ["-total_tokens", (s: Spec) => (s.pt == null ? null : s.pt + s.ct!), true],
    ["prompt_tokens", (s: Spec) => s.pt, false],
    ["-prompt_tokens", (s: Spec) => s.pt, true],
    ["completion_tokens", (s: Spec) => s.ct, false],
    ["-completion_tokens", (s: Spec) => s.ct, true],
  ] as [BrowseQuery["sort"], (s: Spec) => number | null, boolean][])("sorts by %s (no count last, ties in input order)", async (sort, key, desc) => {
    const expected = [...visible].sort((a, b) => {
      const [x, y] = [key(a), key(b)];
      if (x !== y) {
        if (x == null) return 1;
        if (y == null) return -1;
        return desc ? y - x : x - y;
      }
      return inputOrder(a, b);
    });
    expect(await walk({ sort }, 13)).toEqual(expectIds(expected));
    // A sort combines with a filter, and with a search (both of its sides).
    expect(await walk({ sort, status: "succeeded", model: "model-even" }, 5)).toEqual(expectIds(expected.filter((s) => s.ok && s.model === "model-even")));
    expect(await walk({ sort, q: "WALRUS" }, 4)).toEqual(expectIds(expected.filter((s) => hit(s, /walrus/i))));
  });

  it("counts a search exactly up to its cap, and says when more match", async () => {
    const matches = visible.filter((s) => hit(s, /walrus/i)).length;
    // Prompts (every 11th) and answers (every 13th succeeded, and the stranger) both match, one row
    // (143) on both sides: each side alone stays under a cap of 25, their union passes it.
    expect(matches).toBeGreaterThan(25);
    const count = (countCap: number, q: BrowseQuery = { q: "walrus" }) => browseResults(h.prisma, batchId, { ...q, limit: 3, count: true, countCap });
    expect(await count(25)).toMatchObject({ total: 25, totalCapped: true });
    expect(await count(5)).toMatchObject({ total: 5, totalCapped: true });
    expect(await count(matches)).toMatchObject({ total: matches, totalCapped: false });
    expect(await count(1000)).toMatchObject({ total: matches, totalCapped: false });
    // With a filter beside the search, and a cap the filtered count is under.
    const failed = visible.filter((s) => !s.ok && hit(s, /walrus/i)).length;
    expect(await count(failed, { q: "walrus", status: "failed" })).toMatchObject({ total: failed, totalCapped: false });
    // A cap under the page's size counts the page at least; a short first page is its own count.
    expect(await browseResults(h.prisma, batchId, { q: "walrus", limit: 10, count: true, countCap: 4 })).toMatchObject({ total: 10, totalCapped: true });
    expect(await browseResults(h.prisma, batchId, { q: "walrus", limit: 100, count: true, countCap: 4 })).toMatchObject({ total: matches, totalCapped: false });
    // Filters without a search are counted exactly.
    expect(await browseResults(h.prisma, batchId, { status: "succeeded", limit: 3, count: true, countCap: 4 })).toMatchObject({ total: visible.filter((s) => s.ok).length, totalCapped: false });
  });

  it("counts a search after its page: a first page holding every match is its count, otherwise countView", async () => {
    const matches = visible.filter((s) => hit(s, /walrus/i)).length;
    expect(viewCount({ q: "walrus" })).toBe("if-short");
    expect(viewCount({ status: "failed" })).toBe(true);
    expect(viewCount({})).toBe(false);
    expect(viewCount({ q: "walrus" }, "1.2")).toBe(false);
    expect(await browseResults(h.prisma, batchId, { q: "walrus", limit: 5, count: "if-short" })).toMatchObject({ total: null, totalCapped: false });
    expect(await browseResults(h.prisma, batchId, { q: "walrus", limit: 100, count: "if-short" })).toMatchObject({ total: matches, totalCapped: false });
    expect(await countView(h.prisma, batchId, { q: "walrus" })).toEqual({ total: matches, totalCapped: false });
    expect(await countView(h.prisma, batchId, { q: "walrus" }, 10)).toEqual({ total: 10, totalCapped: true });
    expect(await countView(h.prisma, batchId, { status: "failed" }, 1)).toEqual({ total: visible.filter((s) => !s.ok).length, totalCapped: false });
  });

  it("refuses a cursor that is not one, and one from another sort", async () => {
    await expect(browseResults(h.prisma, batchId, { after: "1;DROP TABLE" })).rejects.toThrow(/out of date/);
    const page = await browseResults(h.prisma, batchId, { limit: 5 });
    await expect(browseResults(h.prisma, batchId, { after: page.nextCursor, sort: "-total_tokens" })).rejects.toThrow(/out of date/);
  });
});

describe("resultFacets", () => {
  it("offers each field's values with their counts, most common first", async () => {
    const f = await resultFacets(h.prisma, batchId);
    const count = (p: (s: Spec) => boolean) => visible.filter(p).length;
    expect(f.codes).toEqual(
      [
        { value: "rate_limit", n: count((s) => s.code === "rate_limit") },
        { value: "server_error", n: count((s) => s.code === "server_error") },
      ].sort((a, b) => b.n - a.n),
    );
    expect(f.finishReasons).toEqual([
      { value: "stop", n: count((s) => s.finish === "stop") },
      { value: "length", n: count((s) => s.finish === "length") },
    ]);
    expect(f.models.map((m) => m.value).sort()).toEqual(["model-even", "model-odd"]);
    expect(f.sourceColumns).toBeNull();
  });
});

describe("resultDetail", () => {
  it("gives the request body, the raw line pretty-printed, and nothing of another batch", async () => {
    const page = await browseResults(h.prisma, batchId, { limit: 1 });
    const d = await resultDetail(h.prisma, batchId, page.rows[0].id);
    expect(d).toMatchObject({ customId: "r-001", requestBody: { model: "batch-test-model", messages: [{ role: "user", content: "Question 1" }] }, source: null });
    expect(JSON.parse(d!.raw).custom_id).toBe("r-001");
    expect(d!.raw).toContain("\n    "); // pretty
    expect(await resultDetail(h.prisma, otherBatchId, page.rows[0].id)).toBeNull();
    expect(await resultDetail(h.prisma, batchId, "x' OR 1=1")).toBeNull();
  });
});

describe("a finished batch's search, read from its search texts (search-docs.ts)", () => {
  beforeAll(async () => {
    // Finished as an ingest leaves it; the other team's batch too, so that both have texts.
    await h.prisma.batch.updateMany({ where: { id: { in: [batchId, otherBatchId] } }, data: { resultsIngestedAt: new Date() } });
    expect(await searchDocsReady(sql(h.prisma), batchId)).toBe(false);
    expect(await buildSearchDocs(h.prisma, batchId)).toMatchObject({ rows: visible.length });
    expect(await buildSearchDocs(h.prisma, otherBatchId)).toMatchObject({ rows: 20 });
    expect(await searchDocsReady(sql(h.prisma), batchId)).toBe(true);
    // Current texts are not written again.
    expect(await buildSearchDocs(h.prisma, batchId)).toBeNull();
  });
  afterAll(async () => {
    await h.prisma.batch.updateMany({ where: { id: { in: [batchId, otherBatchId] } }, data: { resultsIngestedAt: null } });
  });

  it.each(searchCases)("finds what the search of Result and Request finds: %s", async (_name, q, keep) => {
    // Looking first at the next 1,000 rows (the whole batch here), at the next 20, at the next 3;
    // then the matches' ids, or past 5 of them the planner's statement.
    for (const limits of [{}, { window: 20 }, { window: 3 }, { window: 3, ids: 5 }]) {
      setSearchLimitsForTests(limits);
      expect(await walk(q, 7)).toEqual(expectIds(visible.filter(keep).sort(inputOrder)));
    }
    setSearchLimitsForTests();
  });

  it("sorts, counts up to a cap and counts apart as before", async () => {
    const matches = visible.filter((s) => hit(s, /walrus/i)).length;
    const byTotal = [...visible].filter((s) => hit(s, /walrus/i)).sort((a, b) => {
      const [x, y] = [a.pt == null ? null : a.pt + a.ct!, b.pt == null ? null : b.pt + b.ct!];
      if (x !== y) return x == null ? 1 : y == null ? -1 : y - x;
      return inputOrder(a, b);
    });
    for (const limits of [{}, { window: 10 }, { window: 10, ids: 5 }]) {
      setSearchLimitsForTests(limits);
      expect(await walk({ sort: "-total_tokens", q: "WALRUS" }, 4)).toEqual(expectIds(byTotal));
    }
    setSearchLimitsForTests();
    expect(await browseResults(h.prisma, batchId, { q: "walrus", limit: 3, count: true, countCap: 25 })).toMatchObject({ total: 25, totalCapped: true });
    expect(await countView(h.prisma, batchId, { q: "walrus" })).toEqual({ total: matches, totalCapped: false });
    expect(await countView(h.prisma, batchId, { q: "walrus", status: "failed" })).toEqual({ total: visible.filter((s) => !s.ok && hit(s, /walrus/i)).length, totalCapped: false });
  });

  it("are not read once the results change, until written again with the rows they lacked", async () => {
    const db = sql(h.prisma);
    await h.prisma.result.create({ data: { batchId, customId: "late", succeeded: true, statusCode: 200, content: "a late narwhal", raw: {} } });
    // Storing results clears the tag (ingest.ts); an ingest's end sets a new resultsIngestedAt.
    await h.prisma.batch.update({ where: { id: batchId }, data: { searchDocsFor: null, resultsIngestedAt: new Date(Date.now() + 1000) } });
    expect(await searchDocsReady(db, batchId)).toBe(false);
    expect((await browseResults(h.prisma, batchId, { q: "NARWHAL" })).rows.map((r) => r.customId)).toEqual(["late"]);
    expect(await buildSearchDocs(h.prisma, batchId)).toMatchObject({ rows: visible.length + 1 });
    expect(await searchDocsReady(db, batchId)).toBe(true);
    expect((await browseResults(h.prisma, batchId, { q: "NARWHAL" })).rows.map((r) => r.customId)).toEqual(["late"]);
    await h.prisma.result.deleteMany({ where: { batchId, customId: "late" } });
  });
});
