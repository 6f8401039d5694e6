import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DbHandle } from "@/lib/db/client";
import { createTestDb } from "@/lib/test/db";
import { ctxOf, makeUser, useTempDataDir } from "@/lib/teams/fixtures";
import { UserError } from "@/lib/errors";
import { createInvite, inviteProblem } from "@/lib/teams/invites";
import { hashPassword, verifyPassword } from "./password";
import { signUp, signUpGate, SignUpClosedError, TAKEN_EMAIL } from "./sign-up";
import { passwordProblem, signInInput, signUpInput } from "./sign-up.schema";

let h: DbHandle;
beforeAll(async () => {
  useTempDataDir();
  h = await createTestDb();
});
afterAll(() => h.close());

const OPEN = { policy: "open" } as const;

describe("password rules", () => {
  it.each([
    ["short1!", /at least 10/],
    ["abcdefghijkl", /only letters/],
    ["ÄbcdéfghijkL", /only letters/],
    ["12345678901", /only digits/],
    ["ada@example.com", /email/],
    ["ADA@EXAMPLE.COM", /email/],
  ])("refuses %s", (pw, why) => {
    expect(passwordProblem(pw, "ada@example.com")).toMatch(why);
  });

  it("accepts a reasonable password", () => {
    expect(passwordProblem("correct horse 42", "ada@example.com")).toBeNull();
    expect(passwordProblem("abcdefghi1", "ada@example.com")).toBeNull();
  });
});

describe("sign-up input", () => {
  it("ties each problem to its field", () => {
    const r = signUpInput.safeParse({ name: " ", email: "not-an-email", password: "letters only please" });
    expect(r.success).toBe(false);
    const byField = Object.fromEntries(r.error!.issues.map((i) => [i.path.join("."), i.message]));
    expect(byField.name).toBe("Enter your name.");
    expect(byField.email).toMatch(/valid email/);
  });

  it("checks the password against the email once the email is valid", () => {
    const r = signUpInput.safeParse({ name: "Ada", email: "Ada1234567@Example.com", password: "ada1234567" });
    expect(r.success).toBe(false);
    expect(r.error!.issues.find((i) => i.path[0] === "password")?.message).toMatch(/email/);
  });

  it("normalises the email and ignores an empty invite", () => {
    const r = signUpInput.parse({ name: " Ada ", email: "  Ada@Example.COM ", password: "correct horse 42", invite: "" });
    expect(r).toEqual({ name: "Ada", email: "ada@example.com", password: "correct horse 42", invite: undefined });
  });

  it("refuses a name PostgreSQL could not store (a NUL)", () => {
    const r = signUpInput.safeParse({ name: "Ada\u0000", email: "ada@example.com", password: "correct horse 42" });
    expect(r.success ? null : r.error.issues.map((i) => [i.path.join("."), i.message])).toEqual([["name", "Your name contains a NUL character (\\u0000), which cannot be stored. Remove it."]]);
  });

  it("refuses a malformed invite token", () => {
    expect(signInInput.safeParse({ email: "a@b.co", password: "x", invite: "../../etc" }).success).toBe(false);
  });
});

describe("signUp", () => {
  it("stores an argon2 hash, never the password, and makes a personal team with the Sandbox", async () => {
    const { user, team } = await signUp(h.prisma, { name: "Ada", email: "ada@example.com", password: "correct horse 42" }, OPEN);
    const row = await h.prisma.user.findUniqueOrThrow({ where: { id: user.id }, select: { passwordHash: true, email: true } });
    expect(row.passwordHash).toMatch(/^\$argon2id\$/);
    expect(row.passwordHash).not.toContain("correct horse 42");
    expect(await verifyPassword(row.passwordHash, "correct horse 42")).toBe(true);
    expect(await verifyPassword(row.passwordHash, "correct horse 43")).toBe(false);
    expect(JSON.stringify(user)).not.toContain("argon2");

    expect(team.personal).toBe(true);
    const m = await h.prisma.membership.findFirstOrThrow({ where: { userId: user.id } });
    expect(m).toMatchObject({ teamId: team.id, role: "OWNER" });
    const conns = await h.prisma.providerConnection.findMany({ where: { teamId: team.id } });
    expect(conns.map((c) => [c.kind, c.name, c.baseUrl])).toEqual([["sandbox", "Sandbox", "builtin"]]);
  });

  it("refuses a taken email whatever its case, on the email field", async () => {
    const err = await signUp(h.prisma, { name: "Ada 2", email: "ADA@example.com", password: "another pass 9" }, OPEN).catch((e) => e);
    expect(err).toBeInstanceOf(UserError);
    expect(err.message).toBe(TAKEN_EMAIL);
    expect(err.fieldErrors).toEqual({ email: TAKEN_EMAIL });
    expect(await h.prisma.user.count({ where: { email: { equals: "ada@example.com", mode: "insensitive" } } })).toBe(1);
  });

  it("refuses a taken email stored with another case (accounts made before emails were lower-cased)", async () => {
    await h.prisma.user.create({ data: { email: "Grace@Example.com", name: "Grace", passwordHash: await hashPassword("x1234567890") } });
    await expect(signUp(h.prisma, { name: "G", email: "grace@example.com", password: "another pass 9" }, OPEN)).rejects.toThrow(TAKEN_EMAIL);
  });

  it("gives one account when two sign-ups race on one email", async () => {
    const results = await Promise.allSettled([
      signUp(h.prisma, { name: "R1", email: "race@example.com", password: "correct horse 42" }, OPEN),
      signUp(h.prisma, { name: "R2", email: "race@example.com", password: "correct horse 42" }, OPEN),
    ]);
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    const rejected = results.find((r) => r.status === "rejected") as PromiseRejectedResult;
    expect(rejected.reason.message).toBe(TAKEN_EMAIL);
  });
});

describe("sign-up policy", () => {
  /** An empty server: no account yet. */
  async function emptyServer() {
    await h.prisma.$executeRawUnsafe('TRUNCATE "User", "Team" CASCADE');
  }
  const person = (name: string) => ({ name, email: `${name.toLowerCase()}@example.com`, password: "correct horse 42" });
  /** An owner's invite link to their personal team. */
  async function inviteFrom(ownerId: string) {
    const m = await h.prisma.membership.findFirstOrThrow({ where: { userId: ownerId } });
    return createInvite(h.prisma, await ctxOf(h.prisma, ownerId, m.teamId), { role: "MEMBER", days: 7 });
  }

  it.each(["open", "invite", "closed"] as const)("lets the first account of an empty server sign up when %s", async (policy) => {
    await emptyServer();
    expect((await signUpGate(h.prisma, policy)).first).toBe(true);
    await signUp(h.prisma, person("First"), { policy });
    expect(await h.prisma.user.count()).toBe(1);
    expect(await signUpGate(h.prisma, policy)).toMatchObject({ first: false, refusal: policy === "open" ? null : expect.any(SignUpClosedError) });
  });

  it("open: anyone signs up after the first account", async () => {
    await emptyServer();
    await signUp(h.prisma, person("First"), OPEN);
    await signUp(h.prisma, person("Second"), OPEN);
    expect(await h.prisma.user.count()).toBe(2);
  });

  it("invite: a second account needs a pending invite, claims it, and joins its team in the same step", async () => {
    await emptyServer();
    const { user: owner } = await signUp(h.prisma, person("Owner"), { policy: "invite" });

    const refused = await signUp(h.prisma, person("Walkin"), { policy: "invite" }).catch((e) => e);
    expect(refused).toBeInstanceOf(SignUpClosedError);
    expect(refused.message).toBe("This Batchboard takes new accounts by invitation only. Ask a team admin for an invite link.");

    const { token, invite } = await inviteFrom(owner.id);
    const { user } = await signUp(h.prisma, person("Mate"), { policy: "invite", invite: token });
    const row = await h.prisma.invite.findUniqueOrThrow({ where: { id: invite.id } });
    expect(row.acceptedById).toBe(user.id);
    expect(await h.prisma.membership.count({ where: { userId: user.id, teamId: row.teamId, role: "MEMBER" } })).toBe(1);

    // The link works once: the next person with it is refused, and no account is made.
    await expect(signUp(h.prisma, person("Late"), { policy: "invite", invite: token })).rejects.toThrow(inviteProblem.used);
    await expect(signUp(h.prisma, person("Guess"), { policy: "invite", invite: "x".repeat(32) })).rejects.toThrow(inviteProblem.unknown);
    expect((await h.prisma.user.findMany({ select: { name: true }, orderBy: { createdAt: "asc" } })).map((u) => u.name)).toEqual(["Owner", "Mate"]);
  });

  it("invite: refuses an expired link without making an account", async () => {
    await emptyServer();
    const { user: owner } = await signUp(h.prisma, person("Owner"), { policy: "invite" });
    const { token, invite } = await inviteFrom(owner.id);
    await h.prisma.invite.update({ where: { id: invite.id }, data: { expiresAt: new Date(Date.now() - 1000) } });
    await expect(signUp(h.prisma, person("Mate"), { policy: "invite", invite: token })).rejects.toThrow(inviteProblem.expired);
    expect(await h.prisma.user.count()).toBe(1);
  });

  it("closed: nobody signs up after the first account, not even with an invite", async () => {
    await emptyServer();
    const { user: owner } = await signUp(h.prisma, person("Owner"), { policy: "closed" });
    const { token, invite } = await inviteFrom(owner.id);
    const err = await signUp(h.prisma, person("Mate"), { policy: "closed", invite: token }).catch((e) => e);
    expect(err).toBeInstanceOf(SignUpClosedError);
    expect(err.message).toBe("This Batchboard does not take new accounts. Ask its administrator for one.");
    expect(await h.prisma.user.count()).toBe(1);
    expect((await h.prisma.invite.findUniqueOrThrow({ where: { id: invite.id } })).acceptedAt).toBeNull();
  });

  it("answers the policy before the email, so a visitor learns nothing about who has an account", async () => {
    await emptyServer();
    await signUp(h.prisma, person("Owner"), { policy: "invite" });
    await expect(signUp(h.prisma, person("Owner"), { policy: "invite" })).rejects.toBeInstanceOf(SignUpClosedError);
    await expect(signUp(h.prisma, person("Owner"), { policy: "closed" })).rejects.toBeInstanceOf(SignUpClosedError);
  });

  it("makes one first account when six sign-ups race on an empty invite-only server", async () => {
    await emptyServer();
    const results = await Promise.allSettled(["One", "Two", "Three", "Four", "Five", "Six"].map((n) => signUp(h.prisma, person(n), { policy: "invite" })));
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    for (const r of results.filter((x) => x.status === "rejected")) expect((r as PromiseRejectedResult).reason).toBeInstanceOf(SignUpClosedError);
    expect(await h.prisma.user.count()).toBe(1);
  });

  it("counts accounts made before, whatever their origin", async () => {
    await emptyServer();
    await makeUser(h.prisma, "Existing");
    await expect(signUp(h.prisma, person("New"), { policy: "invite" })).rejects.toBeInstanceOf(SignUpClosedError);
  });
});
