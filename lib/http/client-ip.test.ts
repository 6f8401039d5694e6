import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { serve } from "@/lib/test/http";
import { addressBlock, canonicalAddress, clientIp, installPeerAddress, PEER_HEADER, UNKNOWN_ADDRESS } from "./client-ip";

const h = (init: Record<string, string>) => new Headers(init);

describe("canonicalAddress", () => {
  it.each([
    ["203.0.113.9", "203.0.113.9"],
    [" 203.0.113.9 ", "203.0.113.9"],
    ["203.0.113.9:51234", "203.0.113.9"],
    ["::ffff:203.0.113.9", "203.0.113.9"],
    ["2001:DB8::1", "2001:db8::1"],
    ["[2001:db8::1]:443", "2001:db8::1"],
    ["fe80::1%eth0", "fe80::1"],
  ])("%s is %s", (raw, want) => expect(canonicalAddress(raw)).toBe(want));

  it.each(["", "unknown", "evil.example.com", "1.2.3", "<script>"])("refuses %j", (raw) => expect(canonicalAddress(raw)).toBeNull());
});

describe("clientIp", () => {
  it("with no proxy trusted, is the socket's address whatever forwarding headers the client sends", () => {
    const headers = h({ [PEER_HEADER]: "198.51.100.7", "x-forwarded-for": "1.1.1.1, 2.2.2.2", "x-real-ip": "3.3.3.3" });
    expect(clientIp(headers, 0)).toBe("198.51.100.7");
  });

  it("behind one proxy, is the entry that proxy appended, not what the client put before it", () => {
    // The client forged "1.1.1.1"; the proxy appended the address it saw (203.0.113.9).
    const headers = h({ [PEER_HEADER]: "10.0.0.2", "x-forwarded-for": "1.1.1.1, 203.0.113.9" });
    expect(clientIp(headers, 1)).toBe("203.0.113.9");
    expect(clientIp(headers, 2)).toBe("1.1.1.1");
  });

  it("behind two proxies, counts two hops left of the socket", () => {
    const headers = h({ [PEER_HEADER]: "10.0.0.3", "x-forwarded-for": "6.6.6.6, 203.0.113.9, 10.0.0.2" });
    expect(clientIp(headers, 2)).toBe("203.0.113.9");
  });

  it("takes the leftmost entry when the chain is shorter than the hops trusted", () => {
    expect(clientIp(h({ [PEER_HEADER]: "203.0.113.9" }), 1)).toBe("203.0.113.9");
    expect(clientIp(h({ [PEER_HEADER]: "10.0.0.2", "x-forwarded-for": "203.0.113.9" }), 3)).toBe("203.0.113.9");
  });

  it("says unknown without the peer's address, and for an entry that is not an address", () => {
    expect(clientIp(h({ "x-forwarded-for": "203.0.113.9" }), 0)).toBe(UNKNOWN_ADDRESS);
    expect(clientIp(h({ "x-forwarded-for": "203.0.113.9" }), 1)).toBe(UNKNOWN_ADDRESS);
    expect(clientIp(h({ [PEER_HEADER]: "10.0.0.2", "x-forwarded-for": "not-an-ip" }), 1)).toBe(UNKNOWN_ADDRESS);
  });
});

describe("addressBlock", () => {
  it("counts an IPv4 address alone and an IPv6 address by its /64", () => {
    expect(addressBlock("203.0.113.9")).toBe("203.0.113.9");
    expect(addressBlock("2001:db8:1:2:aaaa:bbbb:cccc:dddd")).toBe("2001:db8:1:2::/64");
    expect(addressBlock("2001:db8:1:2::ffff")).toBe(addressBlock("2001:db8:1:2:1::1"));
    expect(addressBlock(UNKNOWN_ADDRESS)).toBe(UNKNOWN_ADDRESS);
  });
});

describe("installPeerAddress over real HTTP", () => {
  let server: Awaited<ReturnType<typeof serve>>;
  beforeAll(async () => {
    installPeerAddress();
    installPeerAddress(); // idempotent: one listener
    server = await serve(async (req) => Response.json({ peer: req.headers.get(PEER_HEADER), ip: clientIp(req.headers, 0) }));
  });
  afterAll(() => server.close());

  it("records the socket's address and overwrites a peer header the client forged", async () => {
    const res = await fetch(server.url, { headers: { [PEER_HEADER]: "6.6.6.6", "x-forwarded-for": "7.7.7.7" } });
    expect(await res.json()).toEqual({ peer: "127.0.0.1", ip: "127.0.0.1" });
  });
});
