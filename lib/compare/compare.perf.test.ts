// Timing and query plans of a comparison at the benchmark's size: 50,000 results a side. Slow to
// seed, so opt-in: PERF=1 npx vitest run lib/compare/compare.perf.test.ts
// Prints each statement's EXPLAIN ANALYZE, so a lost index shows as a plan, not only as a number.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DbHandle } from "@/lib/db/client";
import { sql, type Sql, type SqlStatement } from "@/lib/db/sql";
import { createTestDb } from "@/lib/test/db";
import { seedTeam } from "@/lib/results/results.fixtures";
import { compareBatches } from "./compare";
import { compareCsv } from "./csv";
import { compareRows, encodeCursor } from "./rows";
import { summarise } from "./summary";
import type { CompareQuery, Comparison } from "./types";

const N = 50_000;
let h: DbHandle;
let cmp: Comparison;
let db: Sql;
let teamId: string;
const seen: SqlStatement[] = [];

describe.skipIf(!process.env.PERF)("comparison at 50,000 rows a side", () => {
  beforeAll(async () => {
    h = await createTestDb();
    db = sql(h.prisma);
    const t = await seedTeam(h.prisma, "perf");
    teamId = t.team.id;
    const t0 = performance.now();
    const file = await h.prisma.inputFile.create({
      data: { teamId: t.team.id, name: "q.jsonl", format: "jsonl", bytes: BigInt(1), lineCount: N, requestCount: N, endpoint: "/v1/chat/completions", models: ["m"], status: "valid" },
    });
    await db.exec(
      `INSERT INTO "Request" ("fileId", "line", "customId", "model", "prompt", "body")
       SELECT $1, i, 'id-' || i, 'm', 'Question number ' || i || ' about something fairly ordinary, with enough words to look like a prompt.', '{}'::jsonb
       FROM generate_series(1, $2::int) i`,
      [file.id, N],
    );
    const batch = (name: string) =>
      h.prisma.batch.create({
        data: { teamId: t.team.id, connectionId: t.connection.id, inputFileId: file.id, name, endpoint: "/v1/chat/completions", completionWindow: "24h", idempotencyKey: `${name}-${Date.now()}`, status: "COMPLETED", resultsIngestedAt: new Date() },
      });
    const [a, b] = [await batch("A"), await batch("B")];
    // Stored in a scrambled order, as providers return them. A fails every 25th; B fails every
    // 20th, answers every 10th differently, lacks the last 100 and has 50 of its own.
    const insert = (batchId: string, from: number, to: number, failEvery: number, changeEvery: number) =>
      db.exec(
        `INSERT INTO "Result" ("batchId", "customId", "succeeded", "statusCode", "content", "promptTokens", "completionTokens", "reasoningTokens", "totalTokens", "errorCode", "raw", "line")
         SELECT $1, 'id-' || i, i % $4::int <> 0, CASE WHEN i % $4::int <> 0 THEN 200 ELSE 400 END,
           CASE WHEN i % $4::int <> 0 THEN rpad('Answer ' || i || CASE WHEN i % $5::int = 0 THEN ' (other)' ELSE '' END || ': ', 400, 'lorem ipsum ') END,
           20, 80, 10, 100, CASE WHEN i % $4::int = 0 THEN 'server_error' END, '{}'::jsonb, CASE WHEN i <= $6::int THEN i END
         FROM generate_series($2::int, $3::int) i ORDER BY (i * 7919) % $3::int`,
        [batchId, from, to, failEvery, changeEvery, N],
      );
    await insert(a.id, 1, N, 25, 1_000_000_007);
    await insert(b.id, 1, N - 100, 20, 10);
    await insert(b.id, N + 1, N + 50, 20, 10);
    await db.exec(`ANALYZE "Result"`);
    await db.exec(`ANALYZE "Request"`);
    console.log(`seeded 2 x ${N} in ${Math.round(performance.now() - t0)} ms`);
    cmp = (await compareBatches(h.prisma, t.team.id, a.id, b.id))!;
    // Record every statement from here on, to explain it.
    const query = db.query.bind(db);
    db.query = (async (s: string | SqlStatement, p?: readonly unknown[]) => {
      if (typeof s !== "string") seen.push(s);
      return query(s, p);
    }) as Sql["query"];
  }, 600_000);

  afterAll(async () => {
    await h?.close();
  });

  async function timed<T>(label: string, f: () => Promise<T>, explain = true): Promise<{ ms: number; value: T }> {
    await f(); // warm
    seen.length = 0;
    const t0 = performance.now();
    const value = await f();
    const ms = performance.now() - t0;
    console.log(`${label}: ${Math.round(ms)} ms`);
    if (explain) {
      for (const s of seen.slice(0, 2)) {
        const plan = await db.query<{ "QUERY PLAN": string }>(`EXPLAIN (ANALYZE, COSTS OFF) ${s.text}`, [...s.values]);
        console.log(plan.map((r) => `    ${r["QUERY PLAN"]}`).join("\n"));
      }
    }
    return { ms, value };
  }

  it("summarises in one join", async () => {
    const s = await timed("summary", () => summarise(h.prisma, cmp.a, cmp.b));
    expect(s.value).toMatchObject({ shared: N - 100, onlyA: 100, onlyB: 50, bothFailed: N / 100 - 1 });
    expect(s.ms).toBeLessThan(5000);
    // Finished batches: the page's next views reuse it.
    const again = await timed("summary, kept", () => compareBatches(h.prisma, teamId, cmp.a.id, cmp.b.id), false);
    expect(again.value!.summary).toEqual({ ...s.value, cost: null });
    expect(again.ms).toBeLessThan(200);
  });

  it("answers each kind of page quickly", async () => {
    const cases: [string, CompareQuery][] = [
      ["first page", {}],
      ["deep page (line 49,000)", { after: encodeCursor({ section: "a", line: 49_000, id: String(await idAtLine(49_000)) }) }],
      ["only-in-B section", { after: encodeCursor({ section: "a", line: null, id: "0" }) }],
      ["changed", { filter: "changed" }],
      ["one side failed", { filter: "one_failed" }],
      ["both failed", { filter: "both_failed" }],
      ["only in A", { filter: "only_a" }],
      ["only in B", { filter: "only_b" }],
      ["search", { q: "number 4999 " }],
      ["search, nothing", { q: "nothing matches this" }],
    ];
    // Without the summary, nothing says B's own section is small: the anti-join walks all of B.
    const bare = { a: cmp.a, b: cmp.b, sameInput: cmp.sameInput };
    const withBare: [string, CompareQuery, typeof bare][] = [
      ...cases.map(([l, q]): [string, CompareQuery, typeof bare] => [l, q, cmp]),
      ["only in B, no summary", { filter: "only_b" }, bare],
      ["last page of A into B, no summary", { after: encodeCursor({ section: "a", line: 49_990, id: String(await idAtLine(49_990)) }) }, bare],
    ];
    for (const [label, query, c] of withBare) {
      const { ms, value } = await timed(label, () => compareRows(h.prisma, c, query));
      expect(value.rows.length).toBeGreaterThan(label.includes("nothing") ? -1 : 0);
      // Loose bounds that catch a lost index, not a slow machine: a search reads every row.
      expect(ms).toBeLessThan(query.q || query.filter ? 5000 : 1000);
    }
  });

  it("streams the whole comparison as CSV", async () => {
    const { ms, value } = await timed(
      "CSV of 50,050 rows",
      async () => {
        let bytes = 0;
        let lines = 0;
        for await (const c of compareCsv(h.prisma, cmp)) {
          bytes += c.length;
          lines += (c.toString().match(/\r\n/g) ?? []).length;
        }
        return { bytes, lines };
      },
      false,
    );
    console.log(`  ${value.lines} records, ${Math.round(value.bytes / 1e6)} MB`);
    expect(value.lines).toBe(N + 50 + 1);
    expect(ms).toBeLessThan(60_000);
  }, 120_000);
});

async function idAtLine(line: number) {
  const [r] = await db.query<{ id: number }>(`SELECT "id" FROM "Result" WHERE "batchId" = $1 AND "line" = $2`, [cmp.a.id, line]);
  return r.id;
}
