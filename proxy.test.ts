// proxy.ts: which requests it sees (pages; never the API, whose upload bodies it would cut at 10 MB,
// nor static files or prefetches), and the policy it puts on a page's request and response.
import { describe, expect, it } from "vitest";
import { NextRequest } from "next/server";
import { unstable_doesMiddlewareMatch } from "next/experimental/testing/server";
import { config, proxy } from "./proxy";

const matches = (url: string, headers: Record<string, string> = {}) => unstable_doesMiddlewareMatch({ config, url, headers });

describe("proxy", () => {
  it("sees pages, and no API route, static file or prefetch", () => {
    for (const page of ["/", "/batches", "/batches/abc", "/sign-in", "/invite/tok", "/no-such-page"]) expect(matches(page), page).toBe(true);
    for (const other of ["/api/uploads", "/api/sandbox/v1/files", "/api/batches/abc/export.csv", "/api/auth/session", "/_next/static/chunks/a.js", "/favicon.ico"]) {
      expect(matches(other), other).toBe(false);
    }
    expect(matches("/batches", { "next-router-prefetch": "1" })).toBe(false);
  });

  it("puts one policy with a fresh nonce on the request (for Next's scripts) and on the response", () => {
    const res = proxy(new NextRequest("http://localhost:3000/batches"));
    const policy = res.headers.get("content-security-policy")!;
    expect(policy).toMatch(/script-src 'self' 'nonce-[A-Za-z0-9+/]{22}==' 'strict-dynamic';/);
    expect(res.headers.get("x-middleware-request-content-security-policy")).toBe(policy);
    expect(res.headers.get("x-middleware-override-headers")).toContain("content-security-policy");
    const again = proxy(new NextRequest("http://localhost:3000/batches")).headers.get("content-security-policy");
    expect(again).not.toBe(policy);
  });
});
