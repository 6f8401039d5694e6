import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DbHandle } from "@/lib/db/client";
import { createTestDb } from "@/lib/test/db";
import { useTempDataDir } from "@/lib/teams/fixtures";
import { UserError } from "@/lib/errors";
import { hashPassword, verifyPassword } from "./password";
import { signUp, TAKEN_EMAIL } from "./sign-up";
import { passwordProblem, signInInput, signUpInput } from "./sign-up.schema";

let h: DbHandle;
beforeAll(async () => {
  useTempDataDir();
  h = await createTestDb();
});
afterAll(() => h.close());

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
    const { user, team } = await signUp(h.prisma, { name: "Ada", email: "ada@example.com", password: "correct horse 42" });
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
    const err = await signUp(h.prisma, { name: "Ada 2", email: "ADA@example.com", password: "another pass 9" }).catch((e) => e);
    expect(err).toBeInstanceOf(UserError);
    expect(err.message).toBe(TAKEN_EMAIL);
    expect(err.fieldErrors).toEqual({ email: TAKEN_EMAIL });
    expect(await h.prisma.user.count({ where: { email: { equals: "ada@example.com", mode: "insensitive" } } })).toBe(1);
  });

  it("refuses a taken email stored with another case (accounts made before emails were lower-cased)", async () => {
    await h.prisma.user.create({ data: { email: "Grace@Example.com", name: "Grace", passwordHash: await hashPassword("x1234567890") } });
    await expect(signUp(h.prisma, { name: "G", email: "grace@example.com", password: "another pass 9" })).rejects.toThrow(TAKEN_EMAIL);
  });

  it("gives one account when two sign-ups race on one email", async () => {
    const results = await Promise.allSettled([
      signUp(h.prisma, { name: "R1", email: "race@example.com", password: "correct horse 42" }),
      signUp(h.prisma, { name: "R2", email: "race@example.com", password: "correct horse 42" }),
    ]);
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    const rejected = results.find((r) => r.status === "rejected") as PromiseRejectedResult;
    expect(rejected.reason.message).toBe(TAKEN_EMAIL);
  });
});
