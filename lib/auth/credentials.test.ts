import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import * as argon2 from "@node-rs/argon2";
import type { DbHandle } from "@/lib/db/client";
import { createTestDb } from "@/lib/test/db";
import { Readable } from "node:stream";
import { Agent } from "undici";
import { postCredentials, serveAuthRoute } from "@/lib/test/auth-http";
import { useTempDataDir } from "@/lib/teams/fixtures";
import { PEER_HEADER } from "@/lib/http/client-ip";
import { authorizeCredentials, TooManySignInsError } from "./credentials";
import { signUp } from "./sign-up";

// argon2's verify, watched: every sign-in must pay for exactly one, known email or not.
vi.mock("@node-rs/argon2", async (importOriginal) => {
  const real = await importOriginal<typeof import("@node-rs/argon2")>();
  return { ...real, verify: vi.fn(real.verify) };
});
const verify = vi.mocked(argon2.verify);

let h: DbHandle;
beforeAll(async () => {
  useTempDataDir();
  h = await createTestDb();
});
afterAll(() => h.close());

let n = 0;
const from = (ip: string) => new Headers({ [PEER_HEADER]: ip });
async function account(password = "correct horse 42") {
  const email = `ada${++n}@example.com`;
  await signUp(h.prisma, { name: "Ada", email, password }, { policy: "open" });
  return { email, password, ip: `198.51.100.${n}` };
}

describe("constant-time sign-in", () => {
  // A block, not an arrow returning the mock: vitest would call a returned function as a teardown.
  beforeEach(() => {
    verify.mockClear();
  });

  it("checks one argon2 hash for an unknown email, as for a known one with a wrong password", async () => {
    const { email, ip } = await account();
    await authorizeCredentials(h.prisma, { email: "nobody-here@example.com", password: "guess 12345" }, from(ip));
    expect(verify).toHaveBeenCalledTimes(1);
    const [unknownHash] = verify.mock.calls[0];
    expect(String(unknownHash)).toMatch(/^\$argon2id\$/);

    await authorizeCredentials(h.prisma, { email, password: "guess 12345" }, from(ip));
    expect(verify).toHaveBeenCalledTimes(2);
    const [knownHash] = verify.mock.calls[1];
    // Same algorithm and cost parameters: "$argon2id$v=19$m=...,t=...,p=...$".
    expect(String(unknownHash).split("$").slice(1, 4)).toEqual(String(knownHash).split("$").slice(1, 4));
  });

  it("takes about as long for an unknown email as for a known one", async () => {
    const { email } = await account();
    const time = async (who: string, i: number) => {
      const t = performance.now();
      await authorizeCredentials(h.prisma, { email: who, password: `guess ${i}` }, from(`203.0.113.${i}`));
      return performance.now() - t;
    };
    const known: number[] = [];
    const unknown: number[] = [];
    for (let i = 0; i < 5; i++) {
      known.push(await time(email, i));
      unknown.push(await time(`unknown${i}@example.com`, 100 + i));
    }
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[2];
    // Generous: the machine is shared. Before the dummy hash, an unknown email skipped argon2 (~20x faster).
    expect(median(unknown) / median(known)).toBeGreaterThan(0.5);
    expect(median(unknown) / median(known)).toBeLessThan(2);
  });
});

describe("sign-in limits", () => {
  it("refuses the 11th attempt on an account, and then the right password too", async () => {
    const { email, password, ip } = await account();
    for (let i = 0; i < 10; i++) expect(await authorizeCredentials(h.prisma, { email, password: `wrong ${i}` }, from(ip))).toBeNull();
    const err = await authorizeCredentials(h.prisma, { email, password: "wrong again" }, from(ip)).catch((e) => e);
    expect(err).toBeInstanceOf(TooManySignInsError);
    expect(err.code).toBe("rate_limited");
    expect(err.limited.message).toBe("Too many attempts. Try again in 15 minutes.");
    // From another address as well: the limit is on the account.
    await expect(authorizeCredentials(h.prisma, { email, password }, from("203.0.113.77"))).rejects.toBeInstanceOf(TooManySignInsError);
  });

  it("clears an account's failures when the right password comes in time", async () => {
    const { email, password, ip } = await account();
    for (let i = 0; i < 9; i++) await authorizeCredentials(h.prisma, { email, password: `wrong ${i}` }, from(ip));
    expect(await authorizeCredentials(h.prisma, { email, password }, from(ip))).toMatchObject({ email, sessionVersion: 0 });
    for (let i = 0; i < 9; i++) expect(await authorizeCredentials(h.prisma, { email, password: `wrong ${i}` }, from(ip))).toBeNull();
    expect(await authorizeCredentials(h.prisma, { email, password }, from(ip))).toMatchObject({ email });
  });

  it("limits unknown emails the same way, so the limit does not tell which accounts exist", async () => {
    const ip = "203.0.113.200";
    for (let i = 0; i < 10; i++) await authorizeCredentials(h.prisma, { email: "ghost@example.com", password: `x${i}` }, from(ip));
    await expect(authorizeCredentials(h.prisma, { email: "ghost@example.com", password: "x" }, from(ip))).rejects.toBeInstanceOf(TooManySignInsError);
  });
});

describe("Auth.js's own endpoint, POST /api/auth/callback/credentials, over real HTTP", () => {
  let server: Awaited<ReturnType<typeof serveAuthRoute>>;
  beforeAll(async () => {
    server = await serveAuthRoute();
  });
  afterAll(() => server.close());

  // A client that forges a new address on every request gains nothing: no proxy is trusted.
  const post = (email: string, password: string, forgedFor: string) => postCredentials(server.url, email, password, { "x-forwarded-for": forgedFor });

  it("refuses the right password after 40 wrong ones sent at once, with 429 and when to try again", async () => {
    const { email, password } = await account();
    const wrong = await Promise.all(Array.from({ length: 40 }, (_, i) => post(email, `wrong ${i}`, `10.9.${i}.1`)));
    const statuses = wrong.map((r) => r.status);
    expect(statuses.filter((s) => s === 302)).toHaveLength(10); // "wrong password" redirects
    expect(statuses.filter((s) => s === 429)).toHaveLength(30);
    for (const r of wrong.filter((x) => x.status === 302)) expect(r.headers.get("location")).toMatch(/error=CredentialsSignin&code=credentials/);

    const right = await post(email, password, "10.10.10.10");
    expect(right.status).toBe(429);
    expect(right.headers.getSetCookie().join()).not.toMatch(/session-token/);
    const wait = Number(right.headers.get("retry-after"));
    expect(wait).toBeGreaterThan(14 * 60);
    expect(wait).toBeLessThanOrEqual(15 * 60);
    expect(await right.json()).toEqual({ error: "Too many attempts. Try again in 15 minutes.", retryAfterSeconds: wait });
  });

  it("signs in with the right password while attempts are left", async () => {
    const { email, password } = await account();
    const res = await post(email, password, "10.11.0.1");
    expect(res.status).toBe(302);
    expect(res.headers.get("location")).toMatch(/\/batches$/);
    expect(res.headers.getSetCookie().join()).toMatch(/authjs\.session-token=/);
  });

  it("refuses a body over 64 KB before reading it, announced or streamed, and no account is needed to be refused", async () => {
    const url = `${server.url}/api/auth/callback/credentials`;
    const form = { "content-type": "application/x-www-form-urlencoded" };
    // Each on a connection of its own: the server drops one whose request it did not read to the end.
    const own = () => ({ dispatcher: new Agent({ pipelining: 0 }) });
    const announced = await fetch(url, { method: "POST", redirect: "manual", headers: form, body: `email=a%40b.c&password=${"A".repeat(1024 * 1024)}`, ...own() } as RequestInit);
    expect(announced.status).toBe(413);
    expect((await announced.json()).error).toMatch(/over 64 KB/);
    // No Content-Length: a chunked body is cut off once it passes the limit.
    const chunks = (async function* () {
      yield new TextEncoder().encode("email=a%40b.c&password=");
      for (let i = 0; i < 64; i++) yield new Uint8Array(16 * 1024).fill(65);
    })();
    const streamed = await fetch(url, { method: "POST", redirect: "manual", headers: form, body: Readable.toWeb(Readable.from(chunks)), duplex: "half", ...own() } as RequestInit);
    expect(streamed.status).toBe(413);
    // A real sign-in still goes through the copy of its body.
    const { email, password } = await account();
    expect((await post(email, password, "10.12.0.1")).headers.getSetCookie().join()).toMatch(/authjs\.session-token=/);
  });
});

describe("the audit log of sign-ins", () => {
  const rows = async (email: string) => {
    const user = await h.prisma.user.findUnique({ where: { email }, select: { memberships: { select: { teamId: true } } } });
    return h.prisma.auditEvent.findMany({
      where: { teamId: { in: user?.memberships.map((m) => m.teamId) ?? [] }, action: { startsWith: "account.sign" } },
      orderBy: { id: "asc" },
      select: { action: true, actorId: true, actorLabel: true, ip: true, targetLabel: true },
    });
  };

  it("records a sign-in and a failed attempt on the account's team, with the client's address", async () => {
    const { email, password, ip } = await account();
    const user = await h.prisma.user.findUniqueOrThrow({ where: { email }, select: { id: true } });
    expect(await authorizeCredentials(h.prisma, { email, password: "wrong guess 1" }, from(ip))).toBeNull();
    // The failed attempt's row is written beside the answer, not before it (the timing must not tell).
    await vi.waitFor(async () => expect(await rows(email)).toHaveLength(1));
    expect(await authorizeCredentials(h.prisma, { email, password }, from(ip))).not.toBeNull();
    expect(await rows(email)).toEqual([
      { action: "account.sign_in_failed", actorId: null, actorLabel: email, ip, targetLabel: email },
      { action: "account.signed_in", actorId: user.id, actorLabel: email, ip, targetLabel: email },
    ]);
  });

  it("writes nothing for an email without an account", async () => {
    const before = await h.prisma.auditEvent.count();
    await authorizeCredentials(h.prisma, { email: "no-account-here@example.com", password: "guess 12345" }, from("192.0.2.1"));
    await new Promise((r) => setTimeout(r, 200));
    expect(await h.prisma.auditEvent.count()).toBe(before);
  });
});
