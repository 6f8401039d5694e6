// The Origin check of mutating routes: the same answers as Next's server-action check, case by case.
import { describe, expect, it } from "vitest";
import { foreignOrigin, refuseForeignOrigin } from "./origin";

const h = (entries: Record<string, string>) => new Headers(entries);

describe("foreignOrigin", () => {
  it("passes the app's own origin, whatever the scheme, compared with Host", () => {
    expect(foreignOrigin(h({ host: "localhost:3000", origin: "http://localhost:3000" }), [])).toBeNull();
    expect(foreignOrigin(h({ host: "batchboard.lan", origin: "https://batchboard.lan" }), [])).toBeNull();
  });

  it("compares with the first X-Forwarded-Host when a proxy sets one, not with Host", () => {
    const behindProxy = { host: "127.0.0.1:3000", "x-forwarded-host": "bb.example.com, proxy.internal" };
    expect(foreignOrigin(h({ ...behindProxy, origin: "https://bb.example.com" }), [])).toBeNull();
    expect(foreignOrigin(h({ ...behindProxy, origin: "http://127.0.0.1:3000" }), [])).toMatch(/another site/);
  });

  it("refuses another site, another port of the same host, and Origin: null", () => {
    expect(foreignOrigin(h({ host: "localhost:3000", origin: "https://evil.example" }), [])).toBe(
      "This request came from another site (https://evil.example), not from Batchboard's own pages, so it was refused. " +
        "If Batchboard is served at that address, add its host to ALLOWED_ORIGINS.",
    );
    expect(foreignOrigin(h({ host: "localhost:3000", origin: "http://localhost:4000" }), [])).not.toBeNull();
    expect(foreignOrigin(h({ host: "localhost:3000", origin: "null" }), [])).not.toBeNull();
  });

  it("refuses an Origin that is not a web address, naming it", () => {
    expect(foreignOrigin(h({ host: "localhost:3000", origin: "not a url" }), [])).toMatch(/Origin header \(not a url\) is not a web address/);
  });

  it("passes a request with no Origin (curl, SDKs: they carry no visitor's cookies)", () => {
    expect(foreignOrigin(h({ host: "localhost:3000" }), [])).toBeNull();
  });

  it("passes the hosts of ALLOWED_ORIGINS, with Next's wildcards (one label, or ** for any depth)", () => {
    const allowed = ["tools.example.com", "*.corp.example", "**.lab.example"];
    const from = (origin: string) => foreignOrigin(h({ host: "127.0.0.1:3000", origin }), allowed);
    expect(from("https://tools.example.com")).toBeNull();
    expect(from("https://a.corp.example")).toBeNull();
    expect(from("https://a.b.lab.example")).toBeNull();
    expect(from("https://a.b.corp.example")).not.toBeNull();
    expect(from("https://corp.example")).not.toBeNull();
    expect(from("https://tools.example.com.evil.example")).not.toBeNull();
  });

  it("reads ALLOWED_ORIGINS from the settings by default", () => {
    process.env.ALLOWED_ORIGINS = "tools.example.com, other.example";
    try {
      expect(foreignOrigin(h({ host: "localhost:3000", origin: "https://other.example" }))).toBeNull();
    } finally {
      delete process.env.ALLOWED_ORIGINS;
    }
  });

  it("stops on an ALLOWED_ORIGINS entry written as a web address, naming the setting", () => {
    process.env.ALLOWED_ORIGINS = "tools.example.com,https://other.example";
    try {
      expect(() => foreignOrigin(h({ host: "localhost:3000", origin: "https://other.example" }))).toThrow(/ALLOWED_ORIGINS\.1: write host names .* without http:\/\//);
    } finally {
      delete process.env.ALLOWED_ORIGINS;
    }
  });
});

describe("refuseForeignOrigin", () => {
  it("answers 403 with a JSON message, or null to go on", async () => {
    const post = (origin: string) => new Request("http://localhost:3000/api/x", { method: "POST", headers: { host: "localhost:3000", origin } });
    expect(refuseForeignOrigin(post("http://localhost:3000"))).toBeNull();
    const res = refuseForeignOrigin(post("https://evil.example"))!;
    expect(res.status).toBe(403);
    expect(res.headers.get("cache-control")).toBe("no-store");
    expect((await res.json()).error.message).toMatch(/another site \(https:\/\/evil\.example\)/);
  });
});
