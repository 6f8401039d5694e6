// The HTTP client of every OpenAI-compatible provider: the official `openai` SDK, pointed at the
// connection's base URL with its decrypted key, every call through providerFetch (../http.ts). Made
// only inside the adapter (adapter.ts) and the tests that play a client of the sandbox.
import "server-only";
import OpenAI from "openai";
import type { CallOptions } from "@/lib/providers/adapter";
import { providerFetch, resolveBaseUrl } from "@/lib/providers/http";

export function makeClient(kind: string, baseUrl: string, apiKey: string, opts: CallOptions = {}) {
  return new OpenAI({
    apiKey,
    baseURL: resolveBaseUrl(kind, baseUrl),
    maxRetries: opts.maxRetries ?? 2,
    timeout: opts.timeoutMs ?? 120_000,
    fetch: errorEnvelope(providerFetch(kind, baseUrl, apiKey)),
  });
}

/**
 * The openai SDK keeps only the `error` key of an error body. Providers that answer without one
 * (DashScope: {"code": "...", "message": "..."}) would lose their message to "400 status code (no
 * body)": such a body is handed on as {"error": <the body>}.
 */
export function errorEnvelope(inner: typeof fetch): typeof fetch {
  return async (input, init) => {
    const res = await inner(input, init);
    if (res.status < 400 || !/\bjson\b/i.test(res.headers.get("content-type") ?? "")) return res;
    const text = await res.text();
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      body = undefined;
    }
    const wrap = body && typeof body === "object" && !Array.isArray(body) && !("error" in body);
    const headers = new Headers(res.headers);
    headers.delete("content-length");
    return new Response(wrap ? JSON.stringify({ error: body }) : text, { status: res.status, statusText: res.statusText, headers });
  };
}
