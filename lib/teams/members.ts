// Who is in a team and with which role. Owners and admins manage people; only owners make or
// unmake owners; a team always keeps at least one owner.
import "server-only";
import type { Db } from "@/lib/db/client";
import type { Prisma } from "@/lib/generated/prisma/client";
import type { Role } from "@/lib/generated/prisma/enums";
import type { TeamContext } from "@/lib/auth/context";
import { can, roleLabel } from "@/lib/auth/roles";
import { audit } from "@/lib/audit";
import { NotFoundError, UserError } from "@/lib/errors";
import { createTeamWithSandbox } from "./create";
import type { ChangeRoleInput, CreateTeamInput } from "./members.schema";

export async function listMembers(prisma: Db, ctx: TeamContext) {
  const rows = await prisma.membership.findMany({
    where: { teamId: ctx.team.id },
    orderBy: { createdAt: "asc" },
    select: { id: true, role: true, createdAt: true, user: { select: { id: true, name: true, email: true } } },
  });
  return rows.map((m) => ({ id: m.id, role: m.role, joinedAt: m.createdAt, user: m.user, isYou: m.user.id === ctx.user.id }));
}

async function membershipOfTeam(tx: Db | Prisma.TransactionClient, ctx: TeamContext, membershipId: string) {
  const m = await tx.membership.findFirst({ where: { id: membershipId, teamId: ctx.team.id }, select: { id: true, role: true, userId: true } });
  if (!m) throw new NotFoundError("That member");
  return m;
}

async function ownerCount(tx: Prisma.TransactionClient, teamId: string) {
  return tx.membership.count({ where: { teamId, role: "OWNER" } });
}

export async function changeRole(prisma: Db, ctx: TeamContext, input: ChangeRoleInput) {
  if (!can.manage(ctx.role)) throw new UserError("Only the team's owners and admins can change roles.");
  return prisma.$transaction(async (tx) => {
    const m = await membershipOfTeam(tx, ctx, input.membershipId);
    if (m.role === input.role) return { role: m.role as Role };
    if ((m.role === "OWNER" || input.role === "OWNER") && ctx.role !== "OWNER") {
      throw new UserError("Only an owner can make someone an owner or change an owner's role.");
    }
    if (m.role === "OWNER" && (await ownerCount(tx, ctx.team.id)) <= 1) {
      throw new UserError("A team needs at least one owner. Make someone else an owner first.");
    }
    await tx.membership.update({ where: { id: m.id }, data: { role: input.role } });
    await audit(tx, {
      teamId: ctx.team.id,
      actorId: ctx.user.id,
      action: "member.role_changed",
      targetType: "user",
      targetId: m.userId,
      data: { from: m.role, to: input.role },
    });
    return { role: input.role as Role };
  });
}

/** Owners and admins remove others; anyone may remove themselves (leave). */
export async function removeMember(prisma: Db, ctx: TeamContext, membershipId: string) {
  return prisma.$transaction(async (tx) => {
    const m = await membershipOfTeam(tx, ctx, membershipId);
    const self = m.userId === ctx.user.id;
    if (!self && !can.manage(ctx.role)) throw new UserError("Only the team's owners and admins can remove members.");
    if (!self && m.role === "OWNER" && ctx.role !== "OWNER") throw new UserError("Only an owner can remove an owner.");
    if (m.role === "OWNER" && (await ownerCount(tx, ctx.team.id)) <= 1) {
      throw new UserError(
        self ? "You are the team's only owner. Make someone else an owner before you leave." : "A team needs at least one owner.",
      );
    }
    await tx.membership.delete({ where: { id: m.id } });
    await audit(tx, {
      teamId: ctx.team.id,
      actorId: ctx.user.id,
      action: self ? "member.left" : "member.removed",
      targetType: "user",
      targetId: m.userId,
      data: { role: m.role, roleLabel: roleLabel[m.role] },
    });
    return { self };
  });
}

/** A new shared team, owned by its creator, with its own Sandbox connection. */
export async function createTeam(prisma: Db, userId: string, input: CreateTeamInput) {
  return prisma.$transaction(async (tx) => {
    const team = await createTeamWithSandbox(tx, input.name.trim(), userId, false);
    await audit(tx, { teamId: team.id, actorId: userId, action: "team.created", targetType: "team", targetId: team.id, targetLabel: team.name });
    return { id: team.id, name: team.name };
  });
}
