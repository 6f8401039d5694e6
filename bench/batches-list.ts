// The batches list and the overview at 10,000 batches of one team (and 10,000 of another team on
// the same database): the first page, a page 200 pages deep by position, each filter, a search, and
// the overview's reads; the median of 7 runs of each, after one warm-up. PGlite in memory, or
// PostgreSQL with TEST_DATABASE_URL.
//   node --conditions=react-server --import tsx bench/batches-list.ts
//   TEST_DATABASE_URL=postgresql://postgres@127.0.0.1:5432/postgres node --conditions=react-server --import tsx bench/batches-list.ts
import { performance } from "node:perf_hooks";
import { createTestDb } from "@/lib/test/db";
import { sql } from "@/lib/db/sql";
import { seedTeam } from "@/lib/results/results.fixtures";
import { listBatches } from "@/lib/batches/read/list";
import type { BatchListParams } from "@/lib/batches/read/list-params";
import { overview } from "@/lib/overview/overview";

const N = Number(process.env.BENCH_BATCHES ?? 10_000);
const h = await createTestDb();
const s = sql(h.prisma);

async function seed(label: string) {
  const t = await seedTeam(h.prisma, label);
  const file = await h.prisma.inputFile.create({
    data: { teamId: t.team.id, name: "f.jsonl", format: "jsonl", bytes: BigInt(1), endpoint: "/v1/chat/completions", models: ["batch-test-model"], status: "valid" },
  });
  const started = performance.now();
  await s.exec(
    `INSERT INTO "Batch" ("id", "teamId", "connectionId", "inputFileId", "name", "endpoint", "completionWindow", "idempotencyKey", "status",
                          "total", "completed", "failed", "createdById", "createdAt", "updatedAt", "usageAt", "completedAt")
     SELECT $1 || i, $2, $3, $4, 'Batch number ' || i, '/v1/chat/completions', '24h', $1 || 'key' || i,
            (ARRAY['COMPLETED','COMPLETED','COMPLETED','FAILED','IN_PROGRESS','CANCELLED'])[1 + i % 6]::"BatchStatus",
            1000, 990, 10, $5, now() - i * interval '3 minutes', now() - i * interval '3 minutes', now(), now() - i * interval '3 minutes' + interval '1 hour'
       FROM generate_series(1, ${N}) i`,
    [`${label}-`, t.team.id, t.connection.id, file.id, t.user.id],
  );
  await s.exec(
    `INSERT INTO "BatchUsage" ("batchId", "model", "results", "promptTokens", "completionTokens", "cost", "currency")
     SELECT "id", 'batch-test-model', 1000, 50000, 20000, 0.42, 'USD' FROM "Batch" WHERE "teamId" = $1`,
    [t.team.id],
  );
  await s.exec(`ANALYZE`);
  console.log(`seeded ${N} batches for team ${label} in ${Math.round(performance.now() - started)} ms`);
  return t;
}

const a = await seed("a");
await seed("b");

async function median(label: string, run: () => Promise<unknown>) {
  await run();
  const times: number[] = [];
  for (let i = 0; i < 7; i++) {
    const t0 = performance.now();
    await run();
    times.push(performance.now() - t0);
  }
  times.sort((x, y) => x - y);
  console.log(`| ${label} | ${times[3].toFixed(1)} ms |`);
}

const list = (p: BatchListParams) => listBatches(h.prisma, a.team.id, p);
let deep = (await list({})).next!;
for (let i = 1; i < 200; i++) deep = (await list({ after: deep })).next!;

console.log(`\n${h.kind}, ${N} batches per team, two teams\n\n| read | median of 7 |\n|---|---|`);
await median("list: first page (25 rows, count, usage)", () => list({}));
await median("list: page 201 by position (?after=)", () => list({ after: deep }));
await median("list: status=failed", () => list({ status: "FAILED" }));
await median("list: member", () => list({ member: a.user.id }));
await median("list: connection", () => list({ connection: a.connection.id }));
await median("list: provider=sandbox", () => list({ provider: "sandbox" }));
await median("list: one week's dates", () => list({ from: new Date(Date.now() - 14 * 86_400_000).toISOString().slice(0, 10), to: new Date(Date.now() - 7 * 86_400_000).toISOString().slice(0, 10) }));
await median('list: search "number 77"', () => list({ q: "number 77" }));
await median("overview (30 days, by model)", () => overview(h.prisma, { teamId: a.team.id, userId: a.user.id }, "30d", "model", new Date(), { markSeen: false, since: new Date(Date.now() - 86_400_000) }));
await median("overview (90 days, by member)", () => overview(h.prisma, { teamId: a.team.id, userId: a.user.id }, "90d", "member", new Date(), { markSeen: false, since: null }));
await h.close();
