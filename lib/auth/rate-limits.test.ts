import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DbHandle } from "@/lib/db/client";
import { createTestDb } from "@/lib/test/db";
import { useTempDataDir } from "@/lib/teams/fixtures";
import {
  attemptSucceeded,
  countAttempt,
  limits,
  retryAfterSeconds,
  signInAttempt,
  signUpAttempt,
  TooManyAttemptsError,
  tryAgainIn,
} from "./rate-limits";

let h: DbHandle;
beforeAll(async () => {
  useTempDataDir();
  h = await createTestDb();
});
afterAll(() => h.close());

let n = 0;
/** A fresh address and email for each test, so the tests share no counter. */
const fresh = () => ({ ip: `198.51.100.${++n}`, email: `user${n}@example.com` });

async function attempts(list: ReturnType<typeof signInAttempt>, times: number) {
  const out: unknown[] = [];
  for (let i = 0; i < times; i++) out.push(await countAttempt(h.prisma, list).catch((e) => e));
  return out;
}

describe("tryAgainIn", () => {
  it.each([
    [0.2, "Try again in 1 second."],
    [30, "Try again in 30 seconds."],
    [60, "Try again in 1 minute."],
    [61, "Try again in 2 minutes."],
    [14 * 60 + 1, "Try again in 15 minutes."],
    [3600, "Try again in 60 minutes."],
    [3601, "Try again in 2 hours."],
  ])("%s s: %s", (s, text) => expect(tryAgainIn(s)).toBe(text));
});

describe("countAttempt", () => {
  it("allows the account's 10 attempts in 15 minutes, then refuses and says when to try again", async () => {
    const { ip, email } = fresh();
    const results = await attempts(signInAttempt(ip, email), 12);
    expect(results.slice(0, 10)).toEqual(Array(10).fill(undefined));
    for (const r of results.slice(10)) {
      expect(r).toBeInstanceOf(TooManyAttemptsError);
      expect((r as TooManyAttemptsError).message).toBe("Too many attempts. Try again in 15 minutes.");
      expect((r as TooManyAttemptsError).retryAfterSeconds).toBeGreaterThan(14 * 60);
      expect((r as TooManyAttemptsError).retryAfterSeconds).toBeLessThanOrEqual(15 * 60);
    }
    // Another address on the same account is refused too; another account from the same address is not.
    await expect(countAttempt(h.prisma, signInAttempt("198.51.100.250", email))).rejects.toThrow(TooManyAttemptsError);
    await expect(countAttempt(h.prisma, signInAttempt(ip, "someone-else@example.com"))).resolves.toBeUndefined();
  });

  it("counts every one of 40 attempts made at once, and lets only 10 through", async () => {
    const { ip, email } = fresh();
    const results = await Promise.allSettled(Array.from({ length: 40 }, () => countAttempt(h.prisma, signInAttempt(ip, email))));
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(10);
    const refused = results.filter((r) => r.status === "rejected").map((r) => (r as PromiseRejectedResult).reason);
    expect(refused).toHaveLength(30);
    expect(refused.every((e) => e instanceof TooManyAttemptsError)).toBe(true);
    const row = await h.prisma.rateLimit.findUniqueOrThrow({ where: { key: `signInPerIp:${ip}` } });
    expect(row.points).toBe(40);
  });

  it("limits an address over many accounts at 50, and counts an IPv6 /64 as one address", async () => {
    for (let i = 0; i < 50; i++) await countAttempt(h.prisma, signInAttempt(`2001:db8:7:7::${i.toString(16)}`, `spray${i}@example.com`));
    const err = await countAttempt(h.prisma, signInAttempt("2001:db8:7:7:ffff::1", "spray-last@example.com")).catch((e) => e);
    expect(err).toBeInstanceOf(TooManyAttemptsError);
    await expect(countAttempt(h.prisma, signInAttempt("2001:db8:7:8::1", "spray-last@example.com"))).resolves.toBeUndefined();
  });

  it("starts a new window once the old one is over", async () => {
    const { ip, email } = fresh();
    await attempts(signInAttempt(ip, email), 11);
    await expect(countAttempt(h.prisma, signInAttempt(ip, email))).rejects.toThrow(TooManyAttemptsError);
    await h.prisma.rateLimit.updateMany({ where: { key: { endsWith: ip } }, data: { expire: new Date(Date.now() - 1000) } });
    await h.prisma.rateLimit.updateMany({ where: { key: { startsWith: "signInPerAccount:" } }, data: { expire: new Date(Date.now() - 1000) } });
    await expect(countAttempt(h.prisma, signInAttempt(ip, email))).resolves.toBeUndefined();
  });

  it("limits sign-ups per address by SIGN_UPS_PER_IP_PER_HOUR, and per email at 5 an hour", async () => {
    process.env.SIGN_UPS_PER_IP_PER_HOUR = "3";
    try {
      expect(limits().signUpPerIp).toMatchObject({ points: 3, minutes: 60 });
      const { ip } = fresh();
      for (let i = 0; i < 3; i++) await countAttempt(h.prisma, signUpAttempt(ip, `new${i}@example.com`));
      const err = await countAttempt(h.prisma, signUpAttempt(ip, "new9@example.com")).catch((e) => e);
      expect(err.message).toBe("Too many attempts. Try again in 60 minutes.");
    } finally {
      delete process.env.SIGN_UPS_PER_IP_PER_HOUR;
    }
    const email = "popular@example.com";
    for (let i = 0; i < 5; i++) await countAttempt(h.prisma, signUpAttempt(`203.0.113.${i}`, email));
    await expect(countAttempt(h.prisma, signUpAttempt("203.0.113.99", email))).rejects.toThrow(TooManyAttemptsError);
  });

  it("stores no email, only its hash", async () => {
    await countAttempt(h.prisma, signInAttempt("192.0.2.1", "Private.Person@Example.com"));
    const keys = (await h.prisma.rateLimit.findMany({ select: { key: true } })).map((r) => r.key).join(" ");
    expect(keys).not.toMatch(/private\.person/i);
  });
});

describe("attemptSucceeded", () => {
  it("gives the address its attempt back and clears the account's failures", async () => {
    const { ip, email } = fresh();
    const list = signInAttempt(ip, email);
    await attempts(list, 9);
    await attemptSucceeded(h.prisma, list);
    expect((await h.prisma.rateLimit.findUniqueOrThrow({ where: { key: `signInPerIp:${ip}` } })).points).toBe(8);
    expect(await h.prisma.rateLimit.count({ where: { key: { startsWith: "signInPerAccount:" }, points: 9 } })).toBe(0);
    // The account has its 10 attempts again.
    expect(await attempts(list, 10)).toEqual(Array(10).fill(undefined));
  });

  it("keeps a sign-up counted", async () => {
    const { ip, email } = fresh();
    await countAttempt(h.prisma, signUpAttempt(ip, email));
    await attemptSucceeded(h.prisma, signUpAttempt(ip, email));
    expect((await h.prisma.rateLimit.findUniqueOrThrow({ where: { key: `signUpPerIp:${ip}` } })).points).toBe(1);
  });
});

describe("retryAfterSeconds", () => {
  it("reads without counting: 0 while attempts are left, the wait once they are used up", async () => {
    const { ip, email } = fresh();
    const list = signInAttempt(ip, email);
    expect(await retryAfterSeconds(h.prisma, list)).toBe(0);
    await attempts(list, 9);
    expect(await retryAfterSeconds(h.prisma, list)).toBe(0);
    expect(await retryAfterSeconds(h.prisma, list)).toBe(0); // reading twice counted nothing
    await countAttempt(h.prisma, list);
    const wait = await retryAfterSeconds(h.prisma, list);
    expect(wait).toBeGreaterThan(14 * 60);
    expect(wait).toBeLessThanOrEqual(15 * 60);
  });
});
