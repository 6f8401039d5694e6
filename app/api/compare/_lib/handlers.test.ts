import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse } from "csv-parse/sync";
import type { DbHandle } from "@/lib/db/client";
import { createTestDb } from "@/lib/test/db";
import { seedBatch, seedTeam } from "@/lib/results/results.fixtures";
import { compareCsvResponse, type Viewer } from "./handlers";

let h: DbHandle;
let mine: Viewer;
let theirs: Viewer;
let aId: string;
let bId: string;

const url = (q: string) => new URL(`http://localhost/api/compare/export.csv${q}`);

beforeAll(async () => {
  h = await createTestDb();
  const t = await seedTeam(h.prisma, "a");
  const other = await seedTeam(h.prisma, "b");
  mine = { team: { id: t.team.id, name: "Mine", personal: true } };
  theirs = { team: { id: other.team.id, name: "Theirs", personal: true } };
  ({ batch: { id: aId } } = await seedBatch(
    h.prisma,
    t,
    [
      { customId: "1", prompt: "=cmd|' /C calc'!A0", result: { ok: true, content: "+1 is the answer" } },
      { customId: "2", prompt: "Two", result: { ok: true, content: "two\n" } },
      { customId: "3", prompt: "Three", result: { ok: true, content: "three" } },
    ],
    { name: "Qwen run" },
  ));
  ({ batch: { id: bId } } = await seedBatch(
    h.prisma,
    t,
    [
      { customId: "1", prompt: "=cmd|' /C calc'!A0", result: { ok: true, content: "-1 is the answer" } },
      { customId: "2", prompt: "Two", result: { ok: true, content: "  two" } }, // the same once trimmed
      { customId: "3", prompt: "Three", result: { ok: false, code: "server_error", message: "boom" } },
    ],
    { name: "Kimi run" },
  ));
});

afterAll(async () => {
  await h?.close();
});

describe("GET /api/compare/export.csv", () => {
  it("answers 401 signed out, 400 without two batches, 404 for another team's batch", async () => {
    expect((await compareCsvResponse(null, h.prisma, url(`?a=${aId}&b=${bId}`))).status).toBe(401);
    expect((await compareCsvResponse(mine, h.prisma, url(`?a=${aId}`))).status).toBe(400);
    const res = await compareCsvResponse(theirs, h.prisma, url(`?a=${aId}&b=${bId}`));
    expect(res.status).toBe(404);
    expect(await res.json()).toEqual({ error: { message: "Batch not found." } });
  });

  it("streams the rows, formula-safe, with the filter applied", async () => {
    const res = await compareCsvResponse(mine, h.prisma, url(`?a=${aId}&b=${bId}&bom=1`));
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("text/csv; charset=utf-8");
    expect(res.headers.get("content-disposition")).toContain(`filename="Qwen-run-vs-Kimi-run-compare.csv"`);
    const bytes = Buffer.from(await res.arrayBuffer());
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]); // the BOM Excel needs for Chinese
    const rows = parse(bytes.subarray(3).toString("utf8"), { columns: true }) as Record<string, string>[];
    expect(rows.map((r) => [r.custom_id, r.status_a, r.status_b, r.changed])).toEqual([
      ["1", "succeeded", "succeeded", "yes"],
      ["2", "succeeded", "succeeded", "no"],
      ["3", "succeeded", "failed", ""],
    ]);
    expect(rows[0]).toMatchObject({ prompt: "'=cmd|' /C calc'!A0", answer_a: "'+1 is the answer", answer_b: "'-1 is the answer" });
    expect(rows[2].error_b).toBe("server_error: boom");

    const changed = await compareCsvResponse(mine, h.prisma, url(`?a=${aId}&b=${bId}&filter=changed`));
    expect(changed.headers.get("content-disposition")).toContain("-compare-changed.csv");
    expect((parse(await changed.text(), { columns: true }) as Record<string, string>[]).map((r) => r.custom_id)).toEqual(["1"]);
  });
});
