// The results' filters and search (sql.ts) on a real database, through OFFSET pages (queryResults)
// and the browser's split search: outcome, case-insensitive search in custom_id, prompt and answer
// in any script, LIKE wildcards taken literally, and another team's prompts never joined.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DbHandle } from "@/lib/db/client";
import { createTestDb } from "@/lib/test/db";
import { browseResults, queryResults } from "./browse";
import { sampleRows, seedBatch, seedTeam } from "./results.fixtures";
import { hasCase, likePattern } from "./sql";

let h: DbHandle;
let batchId: string;

beforeAll(async () => {
  h = await createTestDb();
  const teamA = await seedTeam(h.prisma, "a");
  const teamB = await seedTeam(h.prisma, "b");
  ({ batch: { id: batchId } } = await seedBatch(h.prisma, teamA, sampleRows));
  // Team B's batch reuses the same custom_ids: its prompts must never leak into team A's rows.
  await seedBatch(
    h.prisma,
    teamB,
    sampleRows.map((r) => ({ ...r, prompt: `secret of B ${r.customId}` })),
  );
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
