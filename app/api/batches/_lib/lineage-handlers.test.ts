// The lineage, retry and merged-view answers without a server: a batch whose 3 failed requests a
// retry answered, read by the team (any role), by another team (404) and signed out (401). The
// retry itself, end to end on the sandbox, is lib/batches/retry.test.ts.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DbHandle } from "@/lib/db/client";
import { createTestDb } from "@/lib/test/db";
import { seedBatch, seedTeam, type SeedRow } from "@/lib/results/results.fixtures";
import { lineageResponse, mergedCsvResponse, mergedResponse, retryOptionsResponse, type Viewer } from "./lineage-handlers";

let h: DbHandle;
let viewer: Viewer;
let other: Viewer;
let parentId: string;
let childId: string;

const id = (n: number) => `req-${String(n).padStart(4, "0")}`;

beforeAll(async () => {
  h = await createTestDb();
  const t = await seedTeam(h.prisma, "a");
  const stranger = await seedTeam(h.prisma, "b");
  viewer = { team: { id: t.team.id, name: "", personal: true }, role: "VIEWER" };
  other = { team: { id: stranger.team.id, name: "", personal: true }, role: "OWNER" };
  // 12 requests, every 4th failed; the retry answered those 3.
  const rows: SeedRow[] = Array.from({ length: 12 }, (_, i) => ({
    customId: id(i + 1),
    prompt: `Question number ${i + 1}`,
    result: (i + 1) % 4 === 0 ? { ok: false, code: "data_inspection_failed", message: "refused" } : { ok: true, content: `Answer ${i + 1}` },
  }));
  ({ batch: { id: parentId } } = await seedBatch(h.prisma, t, rows, { name: "Nightly" }));
  const retried = [4, 8, 12].map((n) => ({ customId: id(n), prompt: `Question number ${n}`, result: { ok: true as const, content: `Answer ${n}` } }));
  ({ batch: { id: childId } } = await seedBatch(h.prisma, t, retried, { name: "Nightly — retry of 3 failed", parentBatchId: parentId }));
});

afterAll(async () => {
  await h?.close();
});

describe("lineage routes", () => {
  it("answers the routes for the team only", async () => {
    const url = (p: string) => new URL(`http://x/api/batches/${childId}/${p}`);

    const lin = await lineageResponse(viewer, h.prisma, childId);
    expect(lin.status).toBe(200);
    expect(((await lin.json()) as { rootId: string }).rootId).toBe(parentId);
    expect((await lineageResponse(other, h.prisma, childId)).status).toBe(404);
    expect((await lineageResponse(null, h.prisma, childId)).status).toBe(401);

    const opts = await retryOptionsResponse(viewer, h.prisma, parentId);
    expect(await opts.json()).toMatchObject({ canRetry: false, counts: { failed: 3 } });
    expect((await retryOptionsResponse(other, h.prisma, parentId)).status).toBe(404);

    const merged = await mergedResponse(viewer, h.prisma, childId, url("merged?page=1"));
    expect(await merged.json()).toMatchObject({ total: 12, counts: { succeeded: 12, batches: 2 } });
    expect((await mergedResponse(other, h.prisma, childId, url("merged"))).status).toBe(404);

    const csv = await mergedCsvResponse(viewer, h.prisma, childId, url("merged.csv?bom=1"));
    expect(csv.headers.get("content-disposition")).toContain("Nightly-merged.csv");
    const bytes = Buffer.from(await csv.arrayBuffer());
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const body = bytes.toString("utf8");
    expect(body.trim().split("\r\n")).toHaveLength(13);
    expect((await mergedCsvResponse(other, h.prisma, childId, url("merged.csv"))).status).toBe(404);
  });
});
