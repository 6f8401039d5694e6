// Every API route that takes a parameter, called as Next calls it (the route module's handler, a
// signed-in session): a NUL in a search, a filter or an id, and a page, limit, row or cursor that is
// not a whole number in its range answer 400 with a message naming the parameter, before anything is
// read or streamed; they used to be 500s (PostgreSQL 22021, 22003) or exports cut short.
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { TeamContext } from "@/lib/auth/context";
import type { DbHandle } from "@/lib/db/client";
import { createTestDb } from "@/lib/test/db";
import { ctxOf } from "@/lib/teams/fixtures";
import { seedBatch, seedTeam } from "@/lib/results/results.fixtures";
import { sandboxKeyForTeam } from "@/lib/providers/sandbox/keys";

const session = vi.hoisted(() => ({ ctx: null as TeamContext | null }));
vi.mock("@/lib/auth/context", async () => {
  const { UserError } = await import("@/lib/errors");
  class UnauthenticatedError extends UserError {}
  class ForbiddenError extends UserError {}
  return {
    currentTeam: async () => session.ctx,
    requireTeam: async () => {
      if (!session.ctx) throw new UnauthenticatedError("Please sign in again.");
      return session.ctx;
    },
    UnauthenticatedError,
    ForbiddenError,
  };
});

type Route = { GET?: (req: Request, ctx: { params: Promise<{ id: string; path: string }> }) => Promise<Response>; POST?: (req: Request) => Promise<Response> };
const routes: Record<string, Route> = {
  "/api/batches": await import("./batches/route"),
  "/api/batches/[id]": await import("./batches/[id]/route"),
  "/api/batches/[id]/results": await import("./batches/[id]/results/route"),
  "/api/batches/[id]/export.csv": await import("./batches/[id]/export.csv/route"),
  "/api/batches/[id]/export.jsonl": await import("./batches/[id]/export.jsonl/route"),
  "/api/batches/[id]/output.jsonl": await import("./batches/[id]/output.jsonl/route"),
  "/api/batches/[id]/errors.jsonl": await import("./batches/[id]/errors.jsonl/route"),
  "/api/batches/[id]/lineage": await import("./batches/[id]/lineage/route"),
  "/api/batches/[id]/merged": await import("./batches/[id]/merged/route"),
  "/api/batches/[id]/merged.csv": await import("./batches/[id]/merged.csv/route"),
  "/api/batches/[id]/retry": await import("./batches/[id]/retry/route"),
  "/api/compare/export.csv": await import("./compare/export.csv/route"),
  "/api/jobs/[id]": await import("./jobs/[id]/route"),
  "/api/jobs/[id]/export.csv": await import("./jobs/[id]/export.csv/route"),
  "/api/uploads": await import("./uploads/route"),
  "/api/sandbox/[...path]": await import("./sandbox/[...path]/route"),
};

let h: DbHandle;
let batchId: string;
let sandboxKey: string;

beforeAll(async () => {
  h = await createTestDb();
  const t = await seedTeam(h.prisma, "params");
  session.ctx = await ctxOf(h.prisma, t.user.id, t.team.id);
  sandboxKey = sandboxKeyForTeam(t.team.id);
  ({ batch: { id: batchId } } = await seedBatch(
    h.prisma,
    t,
    Array.from({ length: 3 }, (_, i) => ({ customId: `k${i}`, prompt: `p${i}`, result: { ok: true as const, content: `a${i}` } })),
    { name: "Params" },
  ));
});
afterAll(() => h?.close());

/** GETs `path` (a pattern's [id] replaced by `id`) through its route module. */
async function get(pattern: string, query = "", id = batchId, headers: Record<string, string> = {}) {
  const route = routes[pattern];
  const path = pattern.replace("[id]", encodeURIComponent(id)).replace("[...path]", "v1/batches");
  return route.GET!(new Request(`http://localhost${path}${query}`, { headers }), { params: Promise.resolve({ id, path: "v1/batches" }) });
}

async function expect400(res: Response, message: RegExp | string) {
  expect(res.status).toBe(400);
  const body = await res.json();
  const text = typeof body.error === "string" ? body.error : body.error.message;
  if (typeof message === "string") expect(text).toBe(message);
  else expect(text).toMatch(message);
}

const nulIn = (param: string) => `The parameter "${param}" holds a NUL character (%00), which cannot be searched for or stored. Remove it from the address.`;

describe("API parameters", () => {
  it("a NUL in a search or filter is a 400 on every route that searches or exports, never a cut export", async () => {
    for (const pattern of ["/api/batches/[id]/results", "/api/batches/[id]/export.csv", "/api/batches/[id]/export.jsonl"]) {
      await expect400(await get(pattern, "?q=a%00b"), nulIn("q"));
      await expect400(await get(pattern, "?status=failed&model=x%00"), nulIn("model"));
    }
    await expect400(await get("/api/compare/export.csv", `?a=${batchId}&b=${batchId}&q=%00`), nulIn("q"));
    await expect400(await get("/api/batches", "?page=1&x=%00"), nulIn("x"));
    await expect400(await get("/api/batches/[id]/merged.csv", "?bom=%00"), nulIn("bom"));
    await expect400(await get("/api/jobs/[id]/export.csv", "?bom=1%00", "job"), nulIn("bom"));
    // The same views without the NUL are whole.
    const csv = await get("/api/batches/[id]/export.csv", "?q=a");
    expect(csv.status).toBe(200);
    expect((await csv.text()).trim().split("\n")).toHaveLength(4);
  });

  it("a NUL in an id is a 400 on every route that takes one", async () => {
    const patterns = Object.keys(routes).filter((p) => p.includes("[id]"));
    expect(patterns).toHaveLength(12);
    for (const pattern of patterns) await expect400(await get(pattern, "", "ck\u0000x"), nulIn("id"));
  });

  it("a page number that is not a whole number from 1 to 100,000 is a 400 naming it", async () => {
    for (const [pattern, page] of [
      ["/api/batches/[id]/merged", "99999999999999999999"],
      ["/api/batches/[id]/merged", "-1"],
      ["/api/batches/[id]/merged", "1e400"],
      ["/api/batches/[id]/merged", "abc"],
    ]) {
      await expect400(await get(pattern, `?page=${page}`), `The parameter "page" must be a whole number from 1 to 100,000; ${JSON.stringify(page)} is not.`);
    }
    expect((await get("/api/batches/[id]/merged", "?page=1")).status).toBe(200);
  });

  it("the batches list's position and filters, when not ours, are a 400 naming them", async () => {
    await expect400(await get("/api/batches", "?after=nonsense"), 'The parameter "after" is not a position in this list. Start again from the first page.');
    await expect400(await get("/api/batches", "?status=running"), /The parameter "status" must be one of launching, /);
    await expect400(await get("/api/batches", "?source=cli"), 'The parameter "source" must be one of browser, api, import.');
    await expect400(await get("/api/batches", "?from=2026-13-45"), /The parameter "from" must be a date as YYYY-MM-DD/);
  });

  it("a limit, a row or a cursor that is not ours is a 400 naming it", async () => {
    const results = "/api/batches/[id]/results";
    await expect400(await get(results, "?limit=abc"), 'The parameter "limit" must be a whole number from 1 to 500; "abc" is not.');
    await expect400(await get(results, "?limit=100000"), /^The parameter "limit" must be a whole number from 1 to 500/);
    await expect400(await get(results, "?row=abc"), /^The parameter "row" must be a whole number from 1 to/);
    for (const after of ["zzz", "1.99999999999999999999", "99999999999.1", "1.2.3"]) {
      await expect400(await get(results, `?after=${after}`), /^The parameter "after" is not a position in these results/);
    }
    await expect400(await get(results, "?sort=-total_tokens&after=1.1"), /^The parameter "after"/);
    const page = await (await get(results, "?limit=2")).json();
    expect(page.rows).toHaveLength(2);
    expect((await get(results, `?after=${page.nextCursor}`)).status).toBe(200);
  });

  it("the upload route and the sandbox refuse a NUL in the address in their own shapes", async () => {
    const upload = await routes["/api/uploads"].POST!(
      new Request("http://localhost/api/uploads?connection=%00", { method: "POST", headers: { "content-type": "multipart/form-data; boundary=x" }, body: "--x--\r\n" }),
    );
    await expect400(upload, nulIn("connection"));
    const sandbox = await get("/api/sandbox/[...path]", "?after=%00", batchId, { authorization: `Bearer ${sandboxKey}` });
    expect(sandbox.status).toBe(400);
    expect(await sandbox.json()).toEqual({ error: { message: nulIn("after"), type: "invalid_request_error", param: "after", code: null } });
  });
});
