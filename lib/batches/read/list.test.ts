// The team's batch list: newest first, keyset pages both ways, the filters of the address, each
// team's own, and each row's model, tokens, cost and duration from its rolled-up results.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DbHandle } from "@/lib/db/client";
import { createTestDb } from "@/lib/test/db";
import { sampleRows, seedBatch, seedTeam } from "@/lib/results/results.fixtures";
import { ParamError } from "@/lib/http/params";
import { decodeCursor, listBatches, parseBatchListParams } from "./list";
import { batchListHref } from "./list-params";

let h: DbHandle;
let teamA: Awaited<ReturnType<typeof seedTeam>>;
let teamB: Awaited<ReturnType<typeof seedTeam>>;
let otherBatchId: string;
let firstId: string;

beforeAll(async () => {
  h = await createTestDb();
  teamA = await seedTeam(h.prisma, "a");
  teamB = await seedTeam(h.prisma, "b");
  await h.prisma.price.create({ data: { teamId: teamA.team.id, providerKind: "sandbox", model: "batch-test-model", inputPerMTok: 1000, outputPerMTok: 2000 } });
  ({ batch: { id: firstId } } = await seedBatch(h.prisma, teamA, sampleRows, {
    name: "Translations of December",
    createdAt: new Date("2026-12-01T10:00:00Z"),
    providerCreatedAt: new Date("2026-12-01T10:00:00Z"),
    completedAt: new Date("2026-12-01T12:30:00Z"),
  }));
  ({ batch: { id: otherBatchId } } = await seedBatch(h.prisma, teamB, sampleRows));
  for (let i = 0; i < 3; i++) {
    await seedBatch(h.prisma, teamA, [{ customId: "x", prompt: "p" }], { name: `Later ${i}`, createdAt: new Date(Date.parse("2026-12-03T00:00:00Z") + i * 1000), status: "IN_PROGRESS", resultsIngestedAt: null });
  }
});

afterAll(async () => {
  await h?.close();
});

const names = (p: { rows: { name: string }[] }) => p.rows.map((r) => r.name);

describe("batches of a team", () => {
  it("pages newest first by position, older and back newer, never repeating a batch", async () => {
    const p1 = await listBatches(h.prisma, teamA.team.id, {}, { pageSize: 2 });
    expect(p1.total).toBe(4);
    expect(names(p1)).toEqual(["Later 2", "Later 1"]);
    expect(p1.prev).toBeNull();
    expect(p1.rows[0]).toMatchObject({ connection: { name: "Sandbox", kind: "sandbox" }, createdBy: "User a", status: "IN_PROGRESS", live: true });
    const p2 = await listBatches(h.prisma, teamA.team.id, { after: p1.next! }, { pageSize: 2 });
    expect(names(p2)).toEqual(["Later 0", "Translations of December"]);
    expect(p2.next).toBeNull();
    expect(p2.rows[1].live).toBe(false);
    const back = await listBatches(h.prisma, teamA.team.id, { before: p2.prev! }, { pageSize: 2 });
    expect(names(back)).toEqual(["Later 2", "Later 1"]);
    expect(back.prev).toBeNull();
    expect(back.next).toBe(p1.next);
    expect((await listBatches(h.prisma, teamB.team.id)).rows.map((r) => r.id)).toEqual([otherBatchId]);
  });

  it("shows the model, requests, tokens, cost and duration of each batch", async () => {
    const page = await listBatches(h.prisma, teamA.team.id, { q: "december" }, { now: new Date("2026-12-03T00:00:10Z") });
    const [row] = page.rows;
    // 90 answered results of 20 prompt and 6 completion tokens (results.fixtures.ts).
    expect(row).toMatchObject({ id: firstId, models: ["batch-test-model"], total: 120, tokens: 90 * 26, durationMs: 150 * 60_000 });
    expect(row.cost).toEqual([{ currency: "USD", amount: expect.closeTo((90 * 20 * 1000 + 90 * 6 * 2000) / 1e6, 9) }]);
    const running = (await listBatches(h.prisma, teamA.team.id, { q: "Later 0" }, { now: new Date("2026-12-03T00:10:00Z") })).rows[0];
    expect(running).toMatchObject({ tokens: 0, cost: [], durationMs: 10 * 60_000 });
  });

  it("filters by status, provider, connection, member, dates and name", async () => {
    const a = teamA.team.id;
    expect(names(await listBatches(h.prisma, a, { status: "COMPLETED" }))).toEqual(["Translations of December"]);
    expect((await listBatches(h.prisma, a, { status: "IN_PROGRESS" })).total).toBe(3);
    expect((await listBatches(h.prisma, a, { provider: "sandbox" })).total).toBe(4);
    expect((await listBatches(h.prisma, a, { provider: "openai" })).total).toBe(0);
    expect((await listBatches(h.prisma, a, { connection: teamA.connection.id })).total).toBe(4);
    expect((await listBatches(h.prisma, a, { connection: teamB.connection.id })).total).toBe(0); // another team's connection: nothing
    expect((await listBatches(h.prisma, a, { member: teamA.user.id })).total).toBe(4);
    expect((await listBatches(h.prisma, a, { member: teamB.user.id })).total).toBe(0);
    expect(names(await listBatches(h.prisma, a, { from: "2026-12-01", to: "2026-12-01" }))).toEqual(["Translations of December"]);
    expect((await listBatches(h.prisma, a, { from: "2026-12-02" })).total).toBe(3);
    expect(names(await listBatches(h.prisma, a, { q: "LATER 1" }))).toEqual(["Later 1"]);
    // Filters and paging together.
    const p1 = await listBatches(h.prisma, a, { status: "IN_PROGRESS" }, { pageSize: 2 });
    expect(names(await listBatches(h.prisma, a, { status: "IN_PROGRESS", after: p1.next! }, { pageSize: 2 }))).toEqual(["Later 0"]);
  });
});

describe("where each batch came from", () => {
  it("says so, with the API token's name, and filters by it", async () => {
    const t = await seedTeam(h.prisma, "src");
    const token = await h.prisma.apiToken.create({ data: { teamId: t.team.id, userId: t.user.id, name: "nightly", tokenHash: "h-src", prefix: "bb_x" } });
    await seedBatch(h.prisma, t, [{ customId: "x", prompt: "p" }], { name: "From the form" });
    await seedBatch(h.prisma, t, [{ customId: "x", prompt: "p" }], { name: "From a script", source: "api", apiTokenId: token.id, createdAt: new Date(Date.now() + 1000) });
    await seedBatch(h.prisma, t, [{ customId: "x", prompt: "p" }], { name: "From history", source: "import", importedAt: new Date(), createdAt: new Date(Date.now() + 2000) });
    const all = await listBatches(h.prisma, t.team.id);
    expect(all.rows.map((r) => [r.name, r.source, r.token])).toEqual([
      ["From history", "import", null],
      ["From a script", "api", "nightly"],
      ["From the form", "browser", null],
    ]);
    for (const source of ["browser", "api", "import"] as const) {
      const one = await listBatches(h.prisma, t.team.id, parseBatchListParams(new URLSearchParams({ source })));
      expect(one.rows.map((r) => r.source)).toEqual([source]);
    }
    expect(() => parseBatchListParams(new URLSearchParams("source=cli"))).toThrow(/"source" must be one of browser, api, import/);
  });
});

describe("an imported batch whose file names no models", () => {
  it("is listed and rolled up like any other (its file's models are NULL, as imports store them)", async () => {
    const t = await seedTeam(h.prisma, "imp");
    const { batch } = await seedBatch(h.prisma, t, sampleRows, { name: "Imported one", source: "import", importedAt: new Date() });
    await h.prisma.$executeRawUnsafe(`UPDATE "InputFile" SET "models" = NULL WHERE "id" = (SELECT "inputFileId" FROM "Batch" WHERE "id" = $1)`, batch.id);
    const page = await listBatches(h.prisma, t.team.id);
    expect(page.rows.map((r) => [r.name, r.source])).toEqual([["Imported one", "import"]]);
    expect(page.rows[0].tokens).toBeGreaterThan(0);
  });
});

describe("the list's address", () => {
  it("reads the filters and refuses a bad value, naming the parameter", () => {
    expect(parseBatchListParams(new URLSearchParams("status=in_progress&provider=sandbox&from=2026-12-01&to=2026-12-31&q=%20x%20"))).toEqual({
      status: "IN_PROGRESS",
      provider: "sandbox",
      from: "2026-12-01",
      to: "2026-12-31",
      q: "x",
    });
    const bad = (q: string) => {
      try {
        parseBatchListParams(new URLSearchParams(q));
      } catch (err) {
        return err instanceof ParamError ? err.message : "not a ParamError";
      }
      return "accepted";
    };
    expect(bad("status=running")).toMatch(/"status" must be one of launching, validating, in_progress/);
    expect(bad("from=2026-13-45")).toMatch(/"from" must be a date as YYYY-MM-DD/);
    expect(bad("from=2026-12-05&to=2026-12-01")).toMatch(/ends \(2026-12-01\) before it starts/);
    expect(bad("member=a%20b")).toMatch(/"member" is not an id/);
    expect(() => decodeCursor("nonsense")).toThrow(/"after" is not a position in this list/);
    expect(batchListHref({ status: "FAILED", q: "a b" })).toBe("/batches?status=failed&q=a+b");
  });
});
