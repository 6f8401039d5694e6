// The headers next.config.mjs sends (run through Next's own config matcher) and the page policy.
import { describe, expect, it } from "vitest";
import { unstable_getResponseFromNextConfig } from "next/experimental/testing/server";
import nextConfig from "@/next.config.mjs";
import { apiPolicy, pagePolicy } from "./security-headers";

const headersOf = async (url: string, headers: Record<string, string> = {}) => (await unstable_getResponseFromNextConfig({ url, nextConfig, headers })).headers;

describe("next.config.mjs headers", () => {
  it("sends nosniff, Referrer-Policy, X-Frame-Options and Permissions-Policy everywhere, and no HSTS over http", async () => {
    for (const url of ["http://localhost:3000/batches", "http://localhost:3000/api/uploads", "http://localhost:3000/_next/static/chunks/a.js"]) {
      const h = await headersOf(url);
      expect(h.get("x-content-type-options"), url).toBe("nosniff");
      expect(h.get("referrer-policy"), url).toBe("same-origin");
      expect(h.get("x-frame-options"), url).toBe("DENY");
      expect(h.get("permissions-policy"), url).toBe("camera=(), microphone=(), geolocation=(), payment=(), usb=()");
      expect(h.get("strict-transport-security"), url).toBeNull();
    }
  });

  it("sends HSTS when a TLS proxy says the request came over https", async () => {
    expect((await headersOf("http://localhost:3000/batches", { "x-forwarded-proto": "https" })).get("strict-transport-security")).toBe("max-age=31536000; includeSubDomains");
    expect((await headersOf("http://localhost:3000/batches", { "x-forwarded-proto": "https,http" })).get("strict-transport-security")).not.toBeNull();
    expect((await headersOf("http://localhost:3000/batches", { "x-forwarded-proto": "http" })).get("strict-transport-security")).toBeNull();
  });

  it("gives the API a policy that loads nothing, and leaves pages to proxy.ts", async () => {
    expect((await headersOf("http://localhost:3000/api/batches")).get("content-security-policy")).toBe(apiPolicy);
    expect((await headersOf("http://localhost:3000/batches")).get("content-security-policy")).toBeNull();
  });
});

describe("pagePolicy", () => {
  it("allows scripts by nonce only, eval only in development, and no framing, plugins or foreign images", () => {
    const p = pagePolicy("abc");
    expect(p).toContain("script-src 'self' 'nonce-abc' 'strict-dynamic';");
    expect(p).not.toContain("unsafe-eval");
    expect(pagePolicy("abc", true)).toContain("'strict-dynamic' 'unsafe-eval';");
    for (const d of ["frame-ancestors 'none'", "object-src 'none'", "base-uri 'self'", "form-action 'self'", "img-src 'self' data: blob:", "connect-src 'self'"]) expect(p).toContain(d);
    expect(/script-src[^;]*unsafe-inline/.test(p)).toBe(false);
  });
});
