import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse } from "csv-parse/sync";
import type { DbHandle } from "@/lib/db/client";
import { createTestDb } from "@/lib/test/db";
import { seedBatch, seedTeam } from "@/lib/results/results.fixtures";
import { batchListResponse, batchResponse, csvResponse, jsonlResponse, resultsResponse, type Viewer } from "./handlers";

let h: DbHandle;
let a: Viewer;
let b: Viewer;
let batchId: string;

const url = (path: string) => new URL(`http://localhost${path}`);

beforeAll(async () => {
  h = await createTestDb();
  const ta = await seedTeam(h.prisma, "a");
  const tb = await seedTeam(h.prisma, "b");
  a = { team: { id: ta.team.id, name: "A", personal: true }, role: "VIEWER" };
  b = { team: { id: tb.team.id, name: "B", personal: true }, role: "OWNER" };
  ({ batch: { id: batchId } } = await seedBatch(
    h.prisma,
    ta,
    [
      { customId: "1", prompt: "hello", result: { ok: true, content: "world" } },
      { customId: "2", prompt: "fail me", result: { ok: false, code: "server_error", message: "boom" } },
    ],
    { name: "Résumé batch, v1" },
  ));
});

afterAll(async () => {
  await h?.close();
});

describe("batch routes", () => {
  it("answer 401 when signed out", async () => {
    for (const res of [
      await batchListResponse(null, h.prisma, url("/api/batches")),
      await batchResponse(null, h.prisma, batchId),
      await resultsResponse(null, h.prisma, batchId, url("/x")),
      await csvResponse(null, h.prisma, batchId, url("/x")),
      await jsonlResponse(null, h.prisma, batchId, "output"),
    ]) {
      expect(res.status).toBe(401);
    }
  });

  it("answer 404 for another team's batch, even to its owner role", async () => {
    for (const res of [
      await batchResponse(b, h.prisma, batchId),
      await resultsResponse(b, h.prisma, batchId, url("/x")),
      await csvResponse(b, h.prisma, batchId, url("/x")),
      await jsonlResponse(b, h.prisma, batchId, "errors"),
      await batchResponse(a, h.prisma, "no-such-batch"),
    ]) {
      expect(res.status).toBe(404);
      expect(await res.json()).toEqual({ error: { message: "Batch not found." } });
    }
    const list = await (await batchListResponse(b, h.prisma, url("/api/batches"))).json();
    expect(list.total).toBe(0);
  });

  it("serve the team's own batch to any member, viewers included", async () => {
    const res = await batchResponse(a, h.prisma, batchId);
    expect(res.status).toBe(200);
    expect(res.headers.get("cache-control")).toBe("no-store");
    expect(await res.json()).toMatchObject({ id: batchId, resultCounts: { all: 2, succeeded: 1, failed: 1 } });
    const results = await (await resultsResponse(a, h.prisma, batchId, url("/x?status=failed"))).json();
    expect(results).toMatchObject({ total: 1, rows: [{ customId: "2", prompt: "fail me", errorMessage: "boom" }] });
  });

  it("stream the CSV with a safe file name and the filter applied", async () => {
    const res = await csvResponse(a, h.prisma, batchId, url("/x?status=succeeded"));
    expect(res.headers.get("content-type")).toBe("text/csv; charset=utf-8");
    expect(res.headers.get("content-disposition")).toBe(
      `attachment; filename="Resume-batch-v1-results-succeeded.csv"; filename*=UTF-8''${encodeURIComponent("Résumé batch, v1-results-succeeded.csv")}`,
    );
    const rows: string[][] = parse(await res.text());
    expect(rows.map((r) => r[0])).toEqual(["custom_id", "1"]);
  });

  it("stream the raw output and error lines", async () => {
    const out = await (await jsonlResponse(a, h.prisma, batchId, "output")).text();
    expect(out.trim().split("\n").map((l) => JSON.parse(l).custom_id)).toEqual(["1"]);
    const res = await jsonlResponse(a, h.prisma, batchId, "errors");
    expect(res.headers.get("content-disposition")).toContain("-errors.jsonl");
    expect(JSON.parse((await res.text()).trim())).toMatchObject({ custom_id: "2", error: { code: "server_error", message: "boom" } });
  });
});
