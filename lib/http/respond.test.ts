// The answers every route handler shares: their shapes and headers, the failure rule of guard, and
// the download names.
import { Readable } from "node:stream";
import { describe, expect, it, vi } from "vitest";
import { GENERIC_MESSAGE, NotFoundError, UserError } from "@/lib/errors";
import { log } from "@/lib/log";
import { attachment, csv, error, guard, json, ndjson, safeFileName, uploadError } from "./respond";

describe("answers", () => {
  it("sends JSON and errors that no cache keeps, in the routes' shapes", async () => {
    const ok = json({ a: 1 });
    expect(ok.status).toBe(200);
    expect(ok.headers.get("cache-control")).toBe("no-store");
    expect(await ok.json()).toEqual({ a: 1 });
    const bad = error(404, "Batch not found.");
    expect([bad.status, bad.headers.get("cache-control"), await bad.json()]).toEqual([404, "no-store", { error: { message: "Batch not found." } }]);
    const upload = uploadError(413, "Too big.");
    expect([upload.status, upload.headers.get("cache-control"), await upload.json()]).toEqual([413, "no-store", { error: "Too big." }]);
  });

  it("streams downloads with their type and name", async () => {
    const c = csv(Readable.from(["a,b\r\n", "1,2\r\n"], { objectMode: false }), attachment("x", ".csv", "b"));
    expect(c.headers.get("content-type")).toBe("text/csv; charset=utf-8");
    expect(c.headers.get("content-disposition")).toBe('attachment; filename="x.csv"');
    expect(c.headers.get("cache-control")).toBe("no-store");
    expect(await c.text()).toBe("a,b\r\n1,2\r\n");
    const j = ndjson(Readable.from(['{"a":1}\n'], { objectMode: false }), attachment("x", ".jsonl", "b"));
    expect(j.headers.get("content-type")).toBe("application/x-ndjson; charset=utf-8");
    expect(await j.text()).toBe('{"a":1}\n');
  });
});

describe("guard", () => {
  const viewer = { team: { id: "t" } };

  it("answers 401 without a viewer, and never runs the handler", async () => {
    const run = vi.fn(async () => json({}));
    const res = await guard("test", null, run);
    expect(res.status).toBe(401);
    expect(await res.json()).toEqual({ error: { message: "Please sign in again." } });
    expect(run).not.toHaveBeenCalled();
  });

  it("hands the viewer to the handler and returns its answer", async () => {
    const res = await guard("test", viewer, async (v) => json({ team: v.team.id }));
    expect(await res.json()).toEqual({ team: "t" });
  });

  it("turns a UserError into a 400 with its message; a NotFoundError too, unless the route says its 404", async () => {
    const bad = await guard("test", viewer, async () => {
      throw new UserError("The parameter is wrong.");
    });
    expect([bad.status, await bad.json()]).toEqual([400, { error: { message: "The parameter is wrong." } }]);
    const missing = async () => {
      throw new NotFoundError("That batch");
    };
    expect((await guard("test", viewer, missing)).status).toBe(400);
    const notFound = await guard("test", viewer, missing, { notFound: "Batch not found." });
    expect([notFound.status, await notFound.json()]).toEqual([404, { error: { message: "Batch not found." } }]);
  });

  it("logs anything else under its route and answers a generic 500", async () => {
    const spy = vi.spyOn(log, "error").mockImplementation(() => {});
    const res = await guard("GET /api/test", viewer, async () => {
      throw new Error("connection reset by db-7.internal");
    });
    expect([res.status, await res.json()]).toEqual([500, { error: { message: GENERIC_MESSAGE } }]);
    expect(spy).toHaveBeenCalledWith("api.unexpected_error", expect.objectContaining({ route: "GET /api/test" }));
    spy.mockRestore();
  });
});

describe("file names", () => {
  it("keeps names safe for headers and file systems", () => {
    expect(safeFileName("My batch: v2/final", ".csv", "batch")).toBe("My-batch-v2-final.csv");
    expect(safeFileName("问题", ".csv", "batch-1")).toBe("batch-1.csv");
    expect(attachment("plain-name", ".csv", "b")).toBe('attachment; filename="plain-name.csv"');
    expect(attachment("翻译 任务", "-results.csv", "b")).toBe(
      `attachment; filename="b-results.csv"; filename*=UTF-8''${encodeURIComponent("翻译 任务-results.csv")}`,
    );
    expect(attachment('a"b\r\nc', ".csv", "b")).not.toMatch(/[\r\n]/);
  });
});
