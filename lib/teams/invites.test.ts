import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DbHandle } from "@/lib/db/client";
import { createTestDb } from "@/lib/test/db";
import { sha256 } from "@/lib/crypto";
import { acceptInvite, createInvite, inviteProblem, listPendingInvites, lookupInvite, revokeInvite } from "./invites";
import { changeRole, createTeam, listMembers, removeMember } from "./members";
import { createInviteInput } from "./invites.schema";
import { addMember, ctxOf, makeUser, useTempDataDir } from "./fixtures";

let h: DbHandle;
beforeAll(async () => {
  useTempDataDir();
  h = await createTestDb();
});
afterAll(() => h.close());

async function teamWithOwner(name = "Owner") {
  const { user, team } = await makeUser(h.prisma, name);
  return { owner: user, team, ctx: await ctxOf(h.prisma, user.id, team.id) };
}

describe("invites", () => {
  it("stores only the sha256 of the token and accepts it once with the invite's role", async () => {
    const { team, ctx, owner } = await teamWithOwner();
    const { token, path, invite } = await createInvite(h.prisma, ctx, { role: "VIEWER", days: 7 });
    expect(path).toBe(`/invite/${token}`);
    expect(token.length).toBeGreaterThanOrEqual(32);
    const row = await h.prisma.invite.findUniqueOrThrow({ where: { id: invite.id } });
    expect(row.tokenHash).toBe(sha256(token));
    expect(JSON.stringify(row)).not.toContain(token);
    expect(row.expiresAt.getTime() - Date.now()).toBeGreaterThan(6.9 * 24 * 3600 * 1000);

    expect(await listPendingInvites(h.prisma, ctx)).toEqual([expect.objectContaining({ id: invite.id, role: "VIEWER", createdBy: "Owner" })]);
    const seen = await lookupInvite(h.prisma, token);
    expect(seen).toMatchObject({ state: "pending", role: "VIEWER", team: { id: team.id, name: team.name } });

    const { user: joiner } = await makeUser(h.prisma, "Joiner");
    const joined = await acceptInvite(h.prisma, joiner.id, token);
    expect(joined).toMatchObject({ team: { id: team.id }, role: "VIEWER", alreadyMember: false });
    const m = await h.prisma.membership.findUniqueOrThrow({ where: { userId_teamId: { userId: joiner.id, teamId: team.id } } });
    expect(m.role).toBe("VIEWER");
    const used = await h.prisma.invite.findUniqueOrThrow({ where: { id: invite.id } });
    expect(used.acceptedById).toBe(joiner.id);
    expect(used.acceptedAt).not.toBeNull();
    expect(await listPendingInvites(h.prisma, ctx)).toEqual([]);

    const events = await h.prisma.auditEvent.findMany({ where: { teamId: team.id }, orderBy: { createdAt: "asc" } });
    expect(events.map((e) => e.action)).toEqual(expect.arrayContaining(["invite.created", "member.joined"]));
    expect(events.find((e) => e.action === "member.joined")).toMatchObject({ actorId: joiner.id, targetId: joiner.id });
    expect(JSON.stringify(events.map((e) => e.data))).not.toContain(token);

    // A second person cannot use the same link.
    const { user: late } = await makeUser(h.prisma, "Late");
    await expect(acceptInvite(h.prisma, late.id, token)).rejects.toThrow(inviteProblem.used);
    expect(await h.prisma.membership.count({ where: { teamId: team.id } })).toBe(2);
    void owner;
  });

  it("says when an invite expired, was revoked or is unknown", async () => {
    const { ctx } = await teamWithOwner();
    const { user } = await makeUser(h.prisma, "Someone");

    const expired = await createInvite(h.prisma, ctx, { role: "MEMBER", days: 1 });
    await h.prisma.invite.update({ where: { id: expired.invite.id }, data: { expiresAt: new Date(Date.now() - 1000) } });
    expect((await lookupInvite(h.prisma, expired.token)).state).toBe("expired");
    await expect(acceptInvite(h.prisma, user.id, expired.token)).rejects.toThrow(inviteProblem.expired);

    const revoked = await createInvite(h.prisma, ctx, { role: "MEMBER", days: 1 });
    await revokeInvite(h.prisma, ctx, revoked.invite.id);
    expect((await lookupInvite(h.prisma, revoked.token)).state).toBe("revoked");
    await expect(acceptInvite(h.prisma, user.id, revoked.token)).rejects.toThrow(inviteProblem.revoked);
    expect(await listPendingInvites(h.prisma, ctx)).toEqual([]);
    expect(await h.prisma.auditEvent.count({ where: { action: "invite.revoked", targetId: revoked.invite.id } })).toBe(1);

    expect((await lookupInvite(h.prisma, "x".repeat(32))).state).toBe("unknown");
    await expect(acceptInvite(h.prisma, user.id, "x".repeat(32))).rejects.toThrow(inviteProblem.unknown);
    expect(await h.prisma.membership.count({ where: { userId: user.id } })).toBe(1);
  });

  it("keeps the role of someone who is already a member and leaves the link unused", async () => {
    const { ctx, team, owner } = await teamWithOwner();
    const { token, invite } = await createInvite(h.prisma, ctx, { role: "VIEWER", days: 7 });
    const r = await acceptInvite(h.prisma, owner.id, token);
    expect(r).toMatchObject({ alreadyMember: true, role: "OWNER", team: { id: team.id } });
    expect((await h.prisma.invite.findUniqueOrThrow({ where: { id: invite.id } })).acceptedAt).toBeNull();
  });

  it("makes one membership when the same link is accepted twice at once", async () => {
    const { ctx, team } = await teamWithOwner();
    const { token } = await createInvite(h.prisma, ctx, { role: "MEMBER", days: 7 });
    const a = await makeUser(h.prisma, "A");
    const b = await makeUser(h.prisma, "B");
    const results = await Promise.allSettled([acceptInvite(h.prisma, a.user.id, token), acceptInvite(h.prisma, b.user.id, token)]);
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    expect(await h.prisma.membership.count({ where: { teamId: team.id } })).toBe(2);
  });

  it("lets only owners and admins invite and revoke", async () => {
    const { ctx, team } = await teamWithOwner();
    const admin = await makeUser(h.prisma, "Admin");
    const member = await makeUser(h.prisma, "Member");
    const viewer = await makeUser(h.prisma, "Viewer");
    await addMember(h.prisma, team.id, admin.user.id, "ADMIN");
    await addMember(h.prisma, team.id, member.user.id, "MEMBER");
    await addMember(h.prisma, team.id, viewer.user.id, "VIEWER");

    const adminCtx = await ctxOf(h.prisma, admin.user.id, team.id);
    const made = await createInvite(h.prisma, adminCtx, { role: "ADMIN", days: 30 });
    for (const u of [member, viewer]) {
      const c = await ctxOf(h.prisma, u.user.id, team.id);
      await expect(createInvite(h.prisma, c, { role: "MEMBER", days: 7 })).rejects.toThrow(/owners and admins/);
      await expect(revokeInvite(h.prisma, c, made.invite.id)).rejects.toThrow(/owners and admins/);
    }
    expect(await h.prisma.invite.count({ where: { teamId: team.id } })).toBe(1);
    void ctx;
  });

  it("treats another team's invite as not found when revoking", async () => {
    const a = await teamWithOwner("A");
    const b = await teamWithOwner("B");
    const { invite } = await createInvite(h.prisma, a.ctx, { role: "MEMBER", days: 7 });
    await expect(revokeInvite(h.prisma, b.ctx, invite.id)).rejects.toThrow("That invite was not found.");
    expect(await listPendingInvites(h.prisma, b.ctx)).toEqual([]);
    expect((await lookupInvite(h.prisma, "y".repeat(32))).state).toBe("unknown");
  });

  it("accepts only the offered roles and expiries", () => {
    expect(createInviteInput.safeParse({ role: "OWNER", days: "7" }).success).toBe(false);
    expect(createInviteInput.safeParse({ role: "MEMBER", days: "3" }).error?.issues[0].message).toBe("Choose 1, 7 or 30 days.");
    expect(createInviteInput.parse({ role: "ADMIN", days: "30" })).toEqual({ role: "ADMIN", days: 30 });
  });
});

describe("members", () => {
  it("lists members with roles, and lets admins change roles but not touch owners", async () => {
    const { ctx, team, owner } = await teamWithOwner();
    const admin = await makeUser(h.prisma, "Admin");
    const member = await makeUser(h.prisma, "Member");
    await addMember(h.prisma, team.id, admin.user.id, "ADMIN");
    await addMember(h.prisma, team.id, member.user.id, "MEMBER");
    const list = await listMembers(h.prisma, ctx);
    expect(list.map((m) => [m.user.name, m.role, m.isYou])).toEqual([
      ["Owner", "OWNER", true],
      ["Admin", "ADMIN", false],
      ["Member", "MEMBER", false],
    ]);
    const memberRow = list.find((m) => m.user.id === member.user.id)!;
    const ownerRow = list.find((m) => m.user.id === owner.id)!;

    const adminCtx = await ctxOf(h.prisma, admin.user.id, team.id);
    await changeRole(h.prisma, adminCtx, { membershipId: memberRow.id, role: "VIEWER" });
    expect((await h.prisma.membership.findUniqueOrThrow({ where: { id: memberRow.id } })).role).toBe("VIEWER");
    await expect(changeRole(h.prisma, adminCtx, { membershipId: memberRow.id, role: "OWNER" })).rejects.toThrow(/Only an owner/);
    await expect(changeRole(h.prisma, adminCtx, { membershipId: ownerRow.id, role: "MEMBER" })).rejects.toThrow(/Only an owner/);
    await expect(removeMember(h.prisma, adminCtx, ownerRow.id)).rejects.toThrow(/Only an owner/);

    const viewerCtx = await ctxOf(h.prisma, member.user.id, team.id);
    await expect(changeRole(h.prisma, viewerCtx, { membershipId: memberRow.id, role: "ADMIN" })).rejects.toThrow(/owners and admins/);

    const audit = await h.prisma.auditEvent.findFirstOrThrow({ where: { teamId: team.id, action: "member.role_changed" } });
    expect(audit).toMatchObject({ actorId: admin.user.id, targetId: member.user.id, data: { from: "MEMBER", to: "VIEWER" } });
  });

  it("never leaves a team without an owner", async () => {
    const { ctx, team } = await teamWithOwner();
    const me = (await listMembers(h.prisma, ctx))[0];
    await expect(changeRole(h.prisma, ctx, { membershipId: me.id, role: "ADMIN" })).rejects.toThrow(/at least one owner/);
    await expect(removeMember(h.prisma, ctx, me.id)).rejects.toThrow(/only owner/);

    const second = await makeUser(h.prisma, "Second");
    await addMember(h.prisma, team.id, second.user.id, "MEMBER");
    const secondRow = (await listMembers(h.prisma, ctx)).find((m) => m.user.id === second.user.id)!;
    await changeRole(h.prisma, ctx, { membershipId: secondRow.id, role: "OWNER" });
    // Now the first owner may step down.
    await changeRole(h.prisma, ctx, { membershipId: me.id, role: "ADMIN" });
    expect(await h.prisma.membership.count({ where: { teamId: team.id, role: "OWNER" } })).toBe(1);
  });

  it("lets owners remove members, members leave, and hides other teams' members", async () => {
    const { ctx, team } = await teamWithOwner();
    const other = await teamWithOwner("Other");
    const m1 = await makeUser(h.prisma, "M1");
    const m2 = await makeUser(h.prisma, "M2");
    await addMember(h.prisma, team.id, m1.user.id, "MEMBER");
    await addMember(h.prisma, team.id, m2.user.id, "MEMBER");
    const rows = await listMembers(h.prisma, ctx);
    const r1 = rows.find((m) => m.user.id === m1.user.id)!;
    const r2 = rows.find((m) => m.user.id === m2.user.id)!;

    await expect(removeMember(h.prisma, other.ctx, r1.id)).rejects.toThrow("That member was not found.");
    const m2ctx = await ctxOf(h.prisma, m2.user.id, team.id);
    await expect(removeMember(h.prisma, m2ctx, r1.id)).rejects.toThrow(/owners and admins/);

    await removeMember(h.prisma, ctx, r1.id);
    expect(await removeMember(h.prisma, m2ctx, r2.id)).toEqual({ self: true });
    expect((await listMembers(h.prisma, ctx)).map((m) => m.user.name)).toEqual(["Owner"]);
    const actions = (await h.prisma.auditEvent.findMany({ where: { teamId: team.id } })).map((e) => e.action);
    expect(actions).toEqual(expect.arrayContaining(["member.removed", "member.left"]));
  });

  it("creates another team with its creator as owner and its own Sandbox", async () => {
    const { owner } = await teamWithOwner();
    const t = await createTeam(h.prisma, owner.id, { name: "  Research  " });
    expect(t.name).toBe("Research");
    const team = await h.prisma.team.findUniqueOrThrow({ where: { id: t.id }, include: { memberships: true, connections: true } });
    expect(team.personal).toBe(false);
    expect(team.memberships.map((m) => [m.userId, m.role])).toEqual([[owner.id, "OWNER"]]);
    expect(team.connections.map((c) => c.kind)).toEqual(["sandbox"]);
    expect(await h.prisma.auditEvent.count({ where: { teamId: t.id, action: "team.created" } })).toBe(1);
  });
});
