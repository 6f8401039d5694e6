import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DbHandle } from "@/lib/db/client";
import { createTestDb } from "@/lib/test/db";
import { cookiesOf, postCredentials, serveAuthRoute, sessionOf } from "@/lib/test/auth-http";
import { addMember, makeUser, useTempDataDir } from "@/lib/teams/fixtures";
import { UserError } from "@/lib/errors";
import { verifyPassword } from "./password";
import { TooManyAttemptsError } from "./rate-limits";
import { changePassword, sessionIsCurrent, signOutEverywhere, WRONG_CURRENT_PASSWORD } from "./sessions";
import { signUp } from "./sign-up";

let h: DbHandle;
let server: Awaited<ReturnType<typeof serveAuthRoute>>;
beforeAll(async () => {
  useTempDataDir();
  h = await createTestDb();
  server = await serveAuthRoute();
});
afterAll(async () => {
  await server.close();
  await h.close();
});

let n = 0;
const PASSWORD = "correct horse 42";
async function account() {
  const email = `grace${++n}@example.com`;
  const { user, team } = await signUp(h.prisma, { name: "Grace", email, password: PASSWORD }, { policy: "open" });
  return { user, team, email, ip: `198.51.100.${n}` };
}
/** A browser's session cookie, from a real sign-in through Auth.js's endpoint. */
async function browserSession(email: string, password = PASSWORD) {
  const res = await postCredentials(server.url, email, password);
  expect(res.status).toBe(302);
  return cookiesOf(res);
}
const change = (currentPassword: string, newPassword: string, repeatPassword = newPassword) => ({ currentPassword, newPassword, repeatPassword });

describe("sessionIsCurrent", () => {
  it("accepts a token of the user's version, counts a token without one as version 0, and refuses a stale one", async () => {
    const { user } = await account();
    expect(await sessionIsCurrent(h.prisma, user.id, 0)).toBe(true);
    expect(await sessionIsCurrent(h.prisma, user.id, undefined)).toBe(true); // signed in before versions existed
    await signOutEverywhere(h.prisma, user.id);
    expect(await sessionIsCurrent(h.prisma, user.id, 0)).toBe(false);
    expect(await sessionIsCurrent(h.prisma, user.id, undefined)).toBe(false);
    expect(await sessionIsCurrent(h.prisma, user.id, 1)).toBe(true);
    expect(await sessionIsCurrent(h.prisma, "no-such-user", 0)).toBe(false);
  });
});

describe("sessions over Auth.js's real endpoints", () => {
  it("ends every browser's session when the user signs out everywhere, and clears the cookie", async () => {
    const { user, email } = await account();
    const laptop = await browserSession(email);
    const phone = await browserSession(email);
    expect((await sessionOf(server.url, laptop)).session?.user).toMatchObject({ id: user.id, email });
    expect((await sessionOf(server.url, phone)).session?.user).toMatchObject({ id: user.id });

    await signOutEverywhere(h.prisma, user.id);
    for (const cookie of [laptop, phone]) {
      const { session, res } = await sessionOf(server.url, cookie);
      expect(session).toBeNull();
      expect(res.headers.getSetCookie().join()).toMatch(/authjs\.session-token=;/); // cleared
    }
    // A new sign-in works and carries the new version.
    const again = await browserSession(email);
    expect((await sessionOf(server.url, again)).session?.user).toMatchObject({ id: user.id });
  });

  it("ends the sessions signed in before a password change; the new password signs in", async () => {
    const { user, email, ip } = await account();
    const other = await browserSession(email);
    await changePassword(h.prisma, user, change(PASSWORD, "new horse 4242"), ip);
    expect((await sessionOf(server.url, other)).session).toBeNull();
    expect((await postCredentials(server.url, email, PASSWORD)).headers.get("location")).toMatch(/error=CredentialsSignin/);
    const fresh = await browserSession(email, "new horse 4242");
    expect((await sessionOf(server.url, fresh)).session?.user).toMatchObject({ id: user.id });
  });
});

describe("changePassword", () => {
  it("stores the new hash, raises the session version, and writes the audit event in each of the user's teams", async () => {
    const { user, team, ip } = await account();
    const { team: other } = await makeUser(h.prisma, "Other");
    await addMember(h.prisma, other.id, user.id, "MEMBER");
    await changePassword(h.prisma, user, change(PASSWORD, "new horse 4242"), ip);
    const row = await h.prisma.user.findUniqueOrThrow({ where: { id: user.id }, select: { passwordHash: true, sessionVersion: true } });
    expect(row.sessionVersion).toBe(1);
    expect(await verifyPassword(row.passwordHash, "new horse 4242")).toBe(true);
    expect(await verifyPassword(row.passwordHash, PASSWORD)).toBe(false);
    const events = await h.prisma.auditEvent.findMany({ where: { action: "account.password_changed", targetId: user.id } });
    expect(events.map((e) => e.teamId).sort()).toEqual([team.id, other.id].sort());
    expect(events.every((e) => e.actorId === user.id && e.targetType === "user")).toBe(true);
    expect(JSON.stringify(events.map((e) => e.data))).not.toContain("horse");
  });

  it("refuses a wrong current password on its field, and changes nothing", async () => {
    const { user, ip } = await account();
    const err = await changePassword(h.prisma, user, change("not my password", "new horse 4242"), ip).catch((e) => e);
    expect(err).toBeInstanceOf(UserError);
    expect(err.fieldErrors).toEqual({ currentPassword: WRONG_CURRENT_PASSWORD });
    expect((await h.prisma.user.findUniqueOrThrow({ where: { id: user.id } })).sessionVersion).toBe(0);
  });

  it.each([
    ["short1!", "Use at least 10 characters."],
    ["grace-is-here", null],
    [PASSWORD, "Choose a password other than your current one."],
  ])("checks the new password %j before anything else", async (pw, message) => {
    const { user, email, ip } = await account();
    const bad = pw === "grace-is-here" ? email : pw; // the email itself
    const err = await changePassword(h.prisma, user, change(PASSWORD, bad), ip).catch((e) => e);
    expect(err).toBeInstanceOf(UserError);
    expect(err.fieldErrors.newPassword).toBe(message ?? "Do not use your email as your password.");
    expect(await h.prisma.rateLimit.count({ where: { key: `signInPerIp:${ip}` } })).toBe(0); // not even counted
  });

  it("counts wrong current passwords like wrong sign-ins: after 10, even the right one waits", async () => {
    const { user, email, ip } = await account();
    for (let i = 0; i < 10; i++) await expect(changePassword(h.prisma, user, change(`guess ${i}`, "new horse 4242"), ip)).rejects.toThrow(WRONG_CURRENT_PASSWORD);
    const err = await changePassword(h.prisma, user, change(PASSWORD, "new horse 4242"), ip).catch((e) => e);
    expect(err).toBeInstanceOf(TooManyAttemptsError);
    expect(err.message).toBe("Too many attempts. Try again in 15 minutes.");
    // The account's sign-in shares the limit.
    expect((await postCredentials(server.url, email, PASSWORD)).status).toBe(429);
  });
});
