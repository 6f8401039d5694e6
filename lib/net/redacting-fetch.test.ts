import { describe, expect, it } from "vitest";
import { redactingFetch } from "./redacting-fetch";

const KEY = "Zq8wXk2pLm4nRt6vBy0cDe1fGh3jK5";
const answer = (res: Response) => redactingFetch(async () => res, [KEY])("http://provider.test/v1/x");

describe("redactingFetch", () => {
  it("redacts the key from error bodies, JSON or not, and from every header", async () => {
    for (const [body, type] of [[JSON.stringify({ error: { message: `bad key ${KEY}` } }), "application/json"], [`<p>bad key ${KEY}</p>`, "text/html"]]) {
      const res = await answer(new Response(body, { status: 401, headers: { "content-type": type, "x-echo": KEY, "retry-after": "3" } }));
      expect(res.status).toBe(401);
      expect(await res.text()).toBe(body.replace(KEY, "[redacted]"));
      expect(res.headers.get("x-echo")).toBe("[redacted]");
      expect(res.headers.get("retry-after")).toBe("3");
    }
  });

  it("redacts small JSON answers (batch objects carry provider messages) but streams file contents untouched", async () => {
    const batch = JSON.stringify({ id: "b1", errors: { data: [{ message: `key ${KEY} over quota` }] } });
    const res = await answer(new Response(batch, { status: 200, headers: { "content-type": "application/json", "content-length": String(batch.length) } }));
    expect(await res.json()).toEqual({ id: "b1", errors: { data: [{ message: "key [redacted] over quota" }] } });
    const lines = `{"custom_id":"a","response":{"body":{"content":"${KEY}"}}}\n`;
    const file = await answer(new Response(lines, { status: 200, headers: { "content-type": "application/octet-stream" } }));
    expect(await file.text()).toBe(lines);
  });

  it("keeps answers without a body as they are", async () => {
    const res = await answer(new Response(null, { status: 204, headers: { "x-echo": KEY } }));
    expect(res.status).toBe(204);
    expect(res.headers.get("x-echo")).toBe("[redacted]");
  });
});
