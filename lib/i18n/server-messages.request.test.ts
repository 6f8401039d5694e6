// The request-side helpers: an action's answer and a browser route's error in the request's
// language, English outside a request, and an upload's NDJSON stream passed through as it comes.
import { beforeEach, describe, expect, it, vi } from "vitest";
import type { Locale } from "./config";

const state = vi.hoisted(() => ({ locale: "zh-CN" as Locale | null }));
vi.mock("./preferences", () => ({
  preferences: async () => {
    if (!state.locale) throw new Error("`cookies` was called outside a request scope");
    return { locale: state.locale, theme: "system", timeZone: "UTC" };
  },
}));

const { localizeResponse, localizeResult, parseForRequest, requestLocale } = await import("./server-messages.request");

beforeEach(() => {
  state.locale = "zh-CN";
});

async function readAll(res: Response) {
  return (await res.text()).split("\n").filter(Boolean).map((l) => JSON.parse(l) as Record<string, unknown>);
}

describe("requestLocale", () => {
  it("is the request's language, and English outside a request", async () => {
    expect(await requestLocale()).toBe("zh-CN");
    state.locale = null;
    expect(await requestLocale()).toBe("en");
  });
});

describe("localizeResult", () => {
  it("translates the message and the field errors", async () => {
    const r = await localizeResult({ ok: false as const, message: "Name the connection.", fieldErrors: { name: "Name the connection." } });
    expect(r).toEqual({ ok: false, message: "请为连接命名。", fieldErrors: { name: "请为连接命名。" } });
  });

  it("leaves an English request's answer as it is", async () => {
    state.locale = "en";
    const r = { ok: false as const, message: "Name the connection." };
    expect(await localizeResult(r)).toBe(r);
  });
});

describe("localizeResponse", () => {
  it("translates a JSON error in either shape and keeps its status and headers", async () => {
    const a = await localizeResponse(Response.json({ error: { message: "Batch not found." } }, { status: 404, headers: { "cache-control": "no-store" } }));
    expect(a.status).toBe(404);
    expect(a.headers.get("cache-control")).toBe("no-store");
    expect(await a.json()).toEqual({ error: { message: "未找到该批次。" } });
    const b = await localizeResponse(Response.json({ error: "Please sign in again." }, { status: 401 }));
    expect(await b.json()).toEqual({ error: "请重新登录。" });
  });

  it("passes successes and downloads through untouched", async () => {
    const ok = Response.json({ name: "Name the connection." });
    expect(await localizeResponse(ok)).toBe(ok);
    const csv = new Response("a,b\n", { headers: { "content-type": "text/csv" } });
    expect(await localizeResponse(csv)).toBe(csv);
  });

  it("translates the error events of an NDJSON stream, even split across chunks", async () => {
    const enc = new TextEncoder();
    const events = [{ type: "received", bytes: 5 }, { type: "progress", lines: 2 }, { type: "error", message: "Something went wrong on our side. Please try again." }];
    const text = events.map((e) => JSON.stringify(e)).join("\n") + "\n";
    const cut = text.indexOf("Something") + 4;
    const body = new ReadableStream<Uint8Array>({
      start(c) {
        c.enqueue(enc.encode(text.slice(0, cut)));
        c.enqueue(enc.encode(text.slice(cut)));
        c.close();
      },
    });
    const res = await localizeResponse(new Response(body, { headers: { "content-type": "application/x-ndjson; charset=utf-8" } }));
    expect(await readAll(res)).toEqual([events[0], events[1], { type: "error", message: "我们这边出了问题，请重试。" }]);
  });

  it("words the checked file's problems and warnings of the upload's done event", async () => {
    const file = { id: "f1", status: "invalid", problems: [{ line: 3, field: "body.model", message: "body.model is missing" }], warnings: [{ line: 4, message: "The file is empty: it has no requests" }] };
    const text = [{ type: "received", bytes: 5 }, { type: "done", file }].map((e) => JSON.stringify(e)).join("\n") + "\n";
    const res = await localizeResponse(new Response(text, { headers: { "content-type": "application/x-ndjson" } }));
    const [, done] = await readAll(res);
    expect(done).toEqual({ type: "done", file: { ...file, problems: [{ line: 3, field: "body.model", message: "缺少 body.model" }], warnings: [{ line: 4, message: "文件为空：没有任何请求" }] } });
  });
});

describe("parseForRequest", () => {
  it("gives zod's own messages in Chinese and keeps the schema's for localize", async () => {
    const { z } = await import("zod");
    const schema = z.object({ name: z.string().min(1, "Name the connection."), id: z.uuid() });
    const r = await parseForRequest(schema, { name: "", id: "x" });
    expect(r.success).toBe(false);
    const messages = r.error!.issues.map((i) => i.message);
    expect(messages[0]).toBe("Name the connection.");
    expect(messages[1]).toMatch(/[\u4e00-\u9fff]/);
    state.locale = "en";
    const en = await parseForRequest(schema, { name: "", id: "x" });
    expect(en.error!.issues[1].message).toMatch(/^Invalid/);
  });
});
