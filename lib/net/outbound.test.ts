// The outbound guard, over real sockets: fake "internal" services listen on loopback addresses and
// must never be reached through it, whatever the URL, the DNS answer or the redirect says.
import dns from "node:dns";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { serve } from "@/lib/test/http";
import { addressRefused, baseUrlProblem, isOutboundRefused, outboundFetch, parseAllowlist } from "./outbound";

let internal: { url: string; close(): Promise<void> };
let allowed: { url: string; close(): Promise<void> };
const hits: string[] = [];

beforeAll(async () => {
  // 127.0.0.1 plays an internal service (a database console, the metadata endpoint...).
  internal = await serve(async (req) => {
    hits.push(`internal ${new URL(req.url).pathname}`);
    return new Response("internal secret", { status: 200 });
  });
  // 127.0.0.2 plays a self-hosted vLLM that the operator allowed.
  allowed = await serve(
    async (req) => {
      const url = new URL(req.url);
      hits.push(`allowed ${url.pathname}`);
      if (url.pathname === "/redirect") return new Response(null, { status: 302, headers: { location: url.searchParams.get("to")! } });
      return Response.json({ ok: true });
    },
    { host: "127.0.0.2" },
  );
});

afterAll(async () => {
  await internal.close();
  await allowed.close();
});

const prevAllow = process.env.ALLOWED_PRIVATE_HOSTS;
afterEach(() => {
  process.env.ALLOWED_PRIVATE_HOSTS = prevAllow;
  vi.restoreAllMocks();
  hits.length = 0;
});
const allow = (v: string) => (process.env.ALLOWED_PRIVATE_HOSTS = v);

async function refusal(url: string): Promise<unknown> {
  try {
    const res = await outboundFetch(url);
    return `answered ${res.status}`;
  } catch (err) {
    return err;
  }
}

describe("addressRefused", () => {
  const none = parseAllowlist("");
  it.each([
    "127.0.0.1", "127.1.2.3", "10.0.0.1", "172.16.5.4", "192.168.1.1", "169.254.169.254", "100.100.100.200", "100.64.0.1",
    "0.0.0.0", "224.0.0.1", "255.255.255.255", "192.0.2.1", "198.18.0.1",
    "::1", "::", "fe80::1", "fd00:ec2::254", "fc00::1", "ff02::1", "::ffff:127.0.0.1", "::ffff:7f00:1", "::ffff:a9fe:a9fe",
    "::127.0.0.1", "::7f00:1", "64:ff9b::a9fe:a9fe", "2002:7f00:1::", "2001:db8::1", "not-an-ip",
  ])("refuses %s", (a) => expect(addressRefused(a, none)).toBe(true));

  it.each(["8.8.8.8", "1.1.1.1", "104.18.6.192", "2606:4700::1111", "::ffff:8.8.8.8"])("lets %s through", (a) => expect(addressRefused(a, none)).toBe(false));

  it("lets the operator's hosts and ranges through, and nothing else", () => {
    const list = parseAllowlist("10.0.0.0/8, 192.168.1.5 fd00::/8");
    expect(addressRefused("10.20.30.40", list)).toBe(false);
    expect(addressRefused("::ffff:10.1.1.1", list)).toBe(false);
    expect(addressRefused("192.168.1.5", list)).toBe(false);
    expect(addressRefused("fd12::1", list)).toBe(false);
    expect(addressRefused("192.168.1.6", list)).toBe(true);
    expect(addressRefused("127.0.0.1", list)).toBe(true);
    expect(addressRefused("169.254.169.254", list)).toBe(true);
    expect(() => parseAllowlist("10.0.0.0/99")).toThrow(/ALLOWED_PRIVATE_HOSTS/);
  });
});

describe("baseUrlProblem", () => {
  it("refuses what would let a user choose the path, the credentials or an internal address", () => {
    allow("");
    expect(baseUrlProblem("http://127.0.0.1:8080/any/path?")).toMatch(/without a \? query/);
    expect(baseUrlProblem("https://api.example.com/v1#x")).toMatch(/without a \? query or # fragment/);
    expect(baseUrlProblem("https://user:pass@api.example.com/v1")).toMatch(/not in the URL/);
    expect(baseUrlProblem("ftp://api.example.com/v1")).toMatch(/http\(s\) URL/);
    expect(baseUrlProblem("http://127.0.0.1:8080/v1")).toMatch(/127\.0\.0\.1 is a private, loopback or otherwise internal address.*ALLOWED_PRIVATE_HOSTS/);
    expect(baseUrlProblem("http://169.254.169.254/latest")).toMatch(/internal address/);
    expect(baseUrlProblem("http://[::ffff:127.0.0.1]:8080/v1")).toMatch(/internal address/);
    expect(baseUrlProblem("http://[::1]/v1")).toMatch(/internal address/);
    expect(baseUrlProblem("http://2130706433/v1")).toMatch(/internal address/); // 127.0.0.1 as one number
    expect(baseUrlProblem("http://localhost:3000/v1")).toMatch(/this server itself/);
    expect(baseUrlProblem("https://api.example.com/v1")).toBeNull();
    allow("127.0.0.1");
    expect(baseUrlProblem("http://127.0.0.1:8080/v1")).toBeNull();
  });
});

describe("outboundFetch", () => {
  it("refuses loopback, mapped and metadata addresses before a byte is sent", async () => {
    allow("");
    const port = new URL(internal.url).port;
    for (const url of [`${internal.url}/admin`, `http://[::ffff:127.0.0.1]:${port}/admin`, `http://localhost:${port}/admin`, "http://169.254.169.254/latest/meta-data/"]) {
      const err = await refusal(url);
      expect(isOutboundRefused(err), url).toBe(true);
    }
    expect(hits).toEqual([]);
  });

  it("refuses a host name whose DNS answer holds a private address, even next to a public one", async () => {
    allow("");
    const real = dns.lookup;
    vi.spyOn(dns, "lookup").mockImplementation(((host: string, opts: dns.LookupOptions, cb: (...a: unknown[]) => void) =>
      host === "mixed.example"
        ? cb(null, [{ address: "93.184.216.34", family: 4 }, { address: "127.0.0.1", family: 4 }])
        : real(host, opts as dns.LookupAllOptions, cb as never)) as typeof dns.lookup);
    const err = await refusal(`http://mixed.example:${new URL(internal.url).port}/admin`);
    expect(isOutboundRefused(err)).toBe(true);
    expect(hits).toEqual([]);
  });

  it("connects to the very address it checked: a DNS answer that changes after the check (rebinding) is checked again", async () => {
    allow("127.0.0.2");
    let calls = 0;
    vi.spyOn(dns, "lookup").mockImplementation(((_host: string, _opts: dns.LookupOptions, cb: (...a: unknown[]) => void) =>
      // First the allowed address, then an internal one, as a rebinding DNS server would answer.
      cb(null, [{ address: calls++ === 0 ? "127.0.0.2" : "127.0.0.1", family: 4 }])) as typeof dns.lookup);
    const port = new URL(allowed.url).port;
    // Same port on both addresses is not needed: the second connection must be refused before connecting.
    const first = await outboundFetch(`http://rebind.example:${port}/first`, { headers: { connection: "close" } });
    expect(first.status).toBe(200);
    await first.text();
    const err = await refusal(`http://rebind.example:${port}/second`);
    expect(isOutboundRefused(err)).toBe(true);
    expect(hits).toEqual(["allowed /first"]);
  });

  it("follows no redirect to a refused address", async () => {
    allow("127.0.0.2");
    const port = new URL(internal.url).port;
    for (const to of [`${internal.url}/admin`, `http://[::ffff:7f00:1]:${port}/admin`, `http://localhost:${port}/admin`]) {
      const err = await refusal(`${allowed.url}/redirect?to=${encodeURIComponent(to)}`);
      expect(isOutboundRefused(err), to).toBe(true);
    }
    expect(hits.filter((h) => h.startsWith("internal"))).toEqual([]);
  });

  it("reaches what the operator allowed, by address or by host name", async () => {
    allow("127.0.0.2");
    expect((await outboundFetch(`${allowed.url}/ok`)).status).toBe(200);
    allow("vllm.internal");
    vi.spyOn(dns, "lookup").mockImplementation(((_h: string, _o: dns.LookupOptions, cb: (...a: unknown[]) => void) =>
      cb(null, [{ address: "127.0.0.2", family: 4 }])) as typeof dns.lookup);
    expect((await outboundFetch(`http://vllm.internal:${new URL(allowed.url).port}/ok`)).status).toBe(200);
  });
});
