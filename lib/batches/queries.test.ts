import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DbHandle } from "@/lib/db/client";
import { createTestDb } from "@/lib/test/db";
import { browseResults, getBatch, getBatchView, hasCase, likePattern, listBatches, queryResults } from "./queries";
import { seedBatch, seedTeam, type SeedRow } from "./queries.fixtures";

let h: DbHandle;
let teamA: Awaited<ReturnType<typeof seedTeam>>;
let teamB: Awaited<ReturnType<typeof seedTeam>>;
let batchId: string;
let otherBatchId: string;

// 120 requests: every 4th failed, one with no result, a few with text worth searching for.
const rows: SeedRow[] = Array.from({ length: 120 }, (_, i) => {
  const customId = `req-${String(i + 1).padStart(3, "0")}`;
  if (i === 119) return { customId, prompt: "never answered" };
  if (i % 4 === 3) return { customId, prompt: `Question ${i + 1}`, result: { ok: false, code: "rate_limit", message: "Too many requests" } };
  const prompt = i === 10 ? "What is the capital of FRANCE?" : i === 20 ? "把这句话翻译成英文" : i === 30 ? "Un RÉSUMÉ de l'ÉTÉ" : `Question ${i + 1}`;
  const content = i === 10 ? "Paris." : i === 21 ? "100% sure_thing" : i === 30 ? "Ωμέγα, ΣΟΦΊΑ" : `Answer ${i + 1}`;
  return { customId, prompt, result: { ok: true, content, reasoning: i === 0 ? "Thinking first." : undefined } };
});

beforeAll(async () => {
  h = await createTestDb();
  teamA = await seedTeam(h.prisma, "a");
  teamB = await seedTeam(h.prisma, "b");
  ({ batch: { id: batchId } } = await seedBatch(h.prisma, teamA, rows));
  // Team B's batch reuses the same custom_ids: its prompts must never leak into team A's rows.
  ({ batch: { id: otherBatchId } } = await seedBatch(
    h.prisma,
    teamB,
    rows.map((r) => ({ ...r, prompt: `secret of B ${r.customId}` })),
  ));
});

afterAll(async () => {
  await h?.close();
});

describe("queryResults", () => {
  it("pages in storage order with the request's prompt beside each result", async () => {
    const p1 = await queryResults(h.prisma, batchId, { page: 1, pageSize: 50 });
    expect(p1.total).toBe(119);
    expect(p1.pageCount).toBe(3);
    expect(p1.rows).toHaveLength(50);
    expect(p1.rows[0]).toMatchObject({ customId: "req-001", prompt: "Question 1", content: "Answer 1", reasoningContent: "Thinking first.", succeeded: true, statusCode: 200 });
    expect(typeof p1.rows[0].id).toBe("string");
    const p3 = await queryResults(h.prisma, batchId, { page: 3, pageSize: 50 });
    expect(p3.rows).toHaveLength(19);
    const ids = new Set([...p1.rows, ...(await queryResults(h.prisma, batchId, { page: 2 })).rows, ...p3.rows].map((r) => r.customId));
    expect(ids.size).toBe(119);
    expect(ids.has("req-120")).toBe(false);
    for (const r of p1.rows) expect(r.prompt).not.toMatch(/secret of B/);
  });

  it("filters by outcome", async () => {
    const failed = await queryResults(h.prisma, batchId, { status: "failed", pageSize: 100 });
    expect(failed.total).toBe(29);
    expect(failed.rows.every((r) => !r.succeeded && r.errorCode === "rate_limit" && r.errorMessage === "Too many requests")).toBe(true);
    expect(failed.rows[0].prompt).toBe("Question 4");
    const ok = await queryResults(h.prisma, batchId, { status: "succeeded" });
    expect(ok.total).toBe(90);
    expect(ok.rows.every((r) => r.succeeded)).toBe(true);
  });

  it("searches custom_id, prompt and answer, case-insensitively", async () => {
    expect((await queryResults(h.prisma, batchId, { q: "france" })).rows.map((r) => r.customId)).toEqual(["req-011"]);
    expect((await queryResults(h.prisma, batchId, { q: "PARIS" })).rows.map((r) => r.customId)).toEqual(["req-011"]);
    expect((await queryResults(h.prisma, batchId, { q: "REQ-05" })).total).toBe(10);
    expect((await queryResults(h.prisma, batchId, { q: "翻译" })).rows.map((r) => r.customId)).toEqual(["req-021"]);
    // Letters beyond ASCII fold too, alone or beside ASCII ones; an ASCII query finds its letters among them.
    for (const q of ["résumé", "l'été", "ωΜΈΓΑ", "σοφία", "Un résumé", "SUM", "sum", "de L'"]) {
      expect((await queryResults(h.prisma, batchId, { q })).rows.map((r) => r.customId), q).toEqual(["req-031"]);
    }
    // Search and outcome filter combine.
    expect((await queryResults(h.prisma, batchId, { q: "req-00", status: "failed" })).rows.map((r) => r.customId)).toEqual(["req-004", "req-008"]);
    // Another team's prompts are not searched.
    expect((await queryResults(h.prisma, batchId, { q: "secret of B" })).total).toBe(0);
  });

  it("takes LIKE wildcards literally", async () => {
    expect(likePattern("50%_a\\b")).toBe("%50\\%\\_a\\\\b%");
    expect((await queryResults(h.prisma, batchId, { q: "100%" })).rows.map((r) => r.customId)).toEqual(["req-022"]);
    expect((await queryResults(h.prisma, batchId, { q: "r_q" })).total).toBe(0);
    expect((await queryResults(h.prisma, batchId, { q: "%" })).total).toBe(1);
  });

  it("finds the same rows through the browser's split search (one side per index) as through one OR", async () => {
    for (const q of ["france", "PARIS", "REQ-05", "翻译", "secret of B", "100%", "r_q", "%", "req-00", "Q", "?", "12"]) {
      const all = await queryResults(h.prisma, batchId, { q, pageSize: 500 });
      const page = await browseResults(h.prisma, batchId, { q, count: true, limit: 500 });
      expect(page.rows.map((r) => r.customId), q).toEqual(all.rows.map((r) => r.customId));
      expect(page.total, q).toBe(all.total);
    }
  });

  it("knows which queries have letters with another case (those need ILIKE)", () => {
    expect(hasCase("批处理")).toBe(false);
    expect(hasCase("100% 12")).toBe(false);
    expect(hasCase("quoted")).toBe(true);
    expect(hasCase("Straße")).toBe(true);
    expect(hasCase("ß")).toBe(true);
    expect(hasCase("Ωμέγα")).toBe(true);
  });

  it("clamps nonsense paging", async () => {
    const r = await queryResults(h.prisma, batchId, { page: -3, pageSize: 0 });
    expect(r.page).toBe(1);
    expect(r.pageSize).toBe(50);
    expect((await queryResults(h.prisma, batchId, { page: 99 })).rows).toEqual([]);
  });
});

describe("batches of a team", () => {
  it("lists newest first, paginated, with connection and creator", async () => {
    for (let i = 0; i < 3; i++) {
      await seedBatch(h.prisma, teamA, [{ customId: "x", prompt: "p" }], { name: `Later ${i}`, createdAt: new Date(Date.now() + (i + 1) * 1000), status: "IN_PROGRESS", resultsIngestedAt: null });
    }
    const p1 = await listBatches(h.prisma, teamA.team.id, { page: 1, pageSize: 2 });
    expect(p1.total).toBe(4);
    expect(p1.pageCount).toBe(2);
    expect(p1.rows.map((r) => r.name)).toEqual(["Later 2", "Later 1"]);
    expect(p1.rows[0]).toMatchObject({ connection: { name: "Sandbox", kind: "sandbox" }, createdBy: "User a", status: "IN_PROGRESS", live: true });
    const p2 = await listBatches(h.prisma, teamA.team.id, { page: 2, pageSize: 2 });
    expect(p2.rows.map((r) => r.name)).toEqual(["Later 0", "Test batch"]);
    expect(p2.rows[1].live).toBe(false);
    expect((await listBatches(h.prisma, teamB.team.id)).rows.map((r) => r.id)).toEqual([otherBatchId]);
  });

  it("hides another team's batch", async () => {
    expect(await getBatch(h.prisma, teamA.team.id, otherBatchId)).toBeNull();
    expect(await getBatchView(h.prisma, teamA.team.id, otherBatchId)).toBeNull();
    expect(await getBatchView(h.prisma, teamB.team.id, otherBatchId)).not.toBeNull();
  });

  it("builds the batch page's view with snapshots and result counts", async () => {
    const t0 = Date.now() - 60_000;
    await h.prisma.batchSnapshot.createMany({
      data: [
        { batchId, at: new Date(t0), status: "VALIDATING", total: 120, completed: 0, failed: 0 },
        { batchId, at: new Date(t0 + 20_000), status: "IN_PROGRESS", total: 120, completed: 50, failed: 10 },
        { batchId, at: new Date(t0 + 40_000), status: "COMPLETED", total: 120, completed: 89, failed: 30 },
      ],
    });
    const v = await getBatchView(h.prisma, teamA.team.id, batchId);
    expect(v).toMatchObject({
      name: "Test batch",
      status: "COMPLETED",
      terminal: true,
      live: false,
      connection: { name: "Sandbox", kind: "sandbox", providerLabel: "Sandbox (built in)" },
      inputFile: { name: "questions.jsonl", requestCount: 120 },
      resultCounts: { all: 119, succeeded: 90, failed: 29 },
    });
    expect(v!.snapshots.map((s) => s.completed)).toEqual([0, 50, 89]);
    expect(v!.snapshots[0].at).toBe(new Date(t0).toISOString());
    // Plain JSON: what the page hands to react-query is what the route sends.
    expect(JSON.parse(JSON.stringify(v))).toEqual(v);
  });
});
