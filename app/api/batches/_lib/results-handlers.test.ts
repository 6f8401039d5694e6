// The results browser's routes as functions: keyset pages from the URL, the drawer's detail, the
// facets, the JSONL and CSV exports of a view; another team's batch is not found, a bad cursor is a 400.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse } from "csv-parse/sync";
import type { DbHandle } from "@/lib/db/client";
import { createTestDb } from "@/lib/test/db";
import { seedBatch, seedTeam } from "@/lib/results/results.fixtures";
import { csvResponse, jsonlExportResponse, resultsResponse, type Viewer } from "./handlers";

let h: DbHandle;
let a: Viewer;
let b: Viewer;
let batchId: string;

const url = (path: string) => new URL(`http://localhost${path}`);

beforeAll(async () => {
  h = await createTestDb();
  const ta = await seedTeam(h.prisma, "ra");
  const tb = await seedTeam(h.prisma, "rb");
  a = { team: { id: ta.team.id, name: "A", personal: true }, role: "VIEWER" };
  b = { team: { id: tb.team.id, name: "B", personal: true }, role: "OWNER" };
  ({ batch: { id: batchId } } = await seedBatch(
    h.prisma,
    ta,
    Array.from({ length: 5 }, (_, i) =>
      i === 3 ? { customId: `k${i}`, prompt: `p${i}`, result: { ok: false, code: "server_error", message: "boom" } } : { customId: `k${i}`, prompt: `p${i}`, result: { ok: true, content: `=cmd ${i}` } },
    ),
    { name: "Browse me" },
  ));
});

afterAll(async () => {
  await h?.close();
});

describe("results routes", () => {
  it("page through a view by cursor, counting the first page of a filtered view only", async () => {
    const p1 = await (await resultsResponse(a, h.prisma, batchId, url("/x?status=succeeded&limit=3"))).json();
    expect(p1.total).toBe(4);
    expect(p1.rows.map((r: { customId: string }) => r.customId)).toEqual(["k0", "k1", "k2"]);
    const p2 = await (await resultsResponse(a, h.prisma, batchId, url(`/x?status=succeeded&limit=3&after=${p1.nextCursor}`))).json();
    expect(p2).toMatchObject({ total: null, nextCursor: null, rows: [{ customId: "k4" }] });
    // Unfiltered, the page carries no count: the batch view has it.
    expect((await (await resultsResponse(a, h.prisma, batchId, url("/x"))).json()).total).toBeNull();
  });

  it("give a search's first page without its count when more rows match, and the count apart (?count=1)", async () => {
    // "cmd" is in four answers: a page of 2 does not hold them all, so its count comes apart.
    const p1 = await (await resultsResponse(a, h.prisma, batchId, url("/x?q=cmd&limit=2"))).json();
    expect(p1).toMatchObject({ total: null, totalCapped: false, rows: [{ customId: "k0" }, { customId: "k1" }] });
    expect(await (await resultsResponse(a, h.prisma, batchId, url("/x?q=cmd&count=1"))).json()).toEqual({ total: 4, totalCapped: false });
    // A first page holding every match is its own count.
    expect(await (await resultsResponse(a, h.prisma, batchId, url("/x?q=cmd&limit=10"))).json()).toMatchObject({ total: 4, totalCapped: false });
    // Other filters count with their page, and alone too.
    expect(await (await resultsResponse(a, h.prisma, batchId, url("/x?status=failed&count=1"))).json()).toEqual({ total: 1, totalCapped: false });
    expect((await resultsResponse(b, h.prisma, batchId, url("/x?q=cmd&count=1"))).status).toBe(404);
  });

  it("answer a broken cursor with 400 and its reason, another team's batch with 404", async () => {
    const bad = await resultsResponse(a, h.prisma, batchId, url("/x?after=zzz"));
    expect(bad.status).toBe(400);
    expect((await bad.json()).error.message).toMatch(/out of date/);
    for (const q of ["/x", "/x?row=1", "/x?facets=1"]) expect((await resultsResponse(b, h.prisma, batchId, url(q))).status).toBe(404);
    expect((await csvResponse(b, h.prisma, batchId, url("/x"))).status).toBe(404);
    expect((await jsonlExportResponse(b, h.prisma, batchId, url("/x"))).status).toBe(404);
    expect((await jsonlExportResponse(null, h.prisma, batchId, url("/x"))).status).toBe(401);
  });

  it("give one row's detail and the facets", async () => {
    const { rows } = await (await resultsResponse(a, h.prisma, batchId, url("/x?limit=1"))).json();
    const d = await (await resultsResponse(a, h.prisma, batchId, url(`/x?row=${rows[0].id}`))).json();
    expect(d).toMatchObject({ customId: "k0", requestBody: { messages: [{ role: "user", content: "p0" }] } });
    expect((await resultsResponse(a, h.prisma, batchId, url("/x?row=999999"))).status).toBe(404);
    const f = await (await resultsResponse(a, h.prisma, batchId, url("/x?facets=1"))).json();
    expect(f).toMatchObject({ codes: [{ value: "server_error", n: 1 }], sourceColumns: null });
  });

  it("export a view as CSV with the chosen columns, a BOM, formulas neutralised", async () => {
    const res = await csvResponse(a, h.prisma, batchId, url("/x?status=succeeded&cols=custom_id,answer&bom=1&sort=-total_tokens"));
    expect(res.headers.get("content-disposition")).toContain('filename="Browse-me-results-succeeded.csv"');
    const bytes = new Uint8Array(await res.arrayBuffer());
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const records = parse(Buffer.from(bytes).toString("utf8"), { bom: true }) as string[][];
    expect(records[0]).toEqual(["custom_id", "content", "error_code", "error_message"]);
    expect(records.slice(1).map((r) => r[1])).toEqual(["'=cmd 0", "'=cmd 1", "'=cmd 2", "'=cmd 4"]);
  });

  it("export a view as JSONL", async () => {
    const res = await jsonlExportResponse(a, h.prisma, batchId, url("/x?code=server_error"));
    expect(res.headers.get("content-disposition")).toContain("-results-filtered.jsonl");
    const lines = (await res.text()).trim().split("\n").map((l) => JSON.parse(l));
    expect(lines).toEqual([expect.objectContaining({ custom_id: "k3", status: "failed", error: { code: "server_error", message: "boom" } })]);
  });
});
