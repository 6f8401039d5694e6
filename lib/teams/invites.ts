// Invite links: an admin makes a link /invite/<token> with a role and an expiry; only sha256(token)
// is stored, so the link is shown once and a database leak does not let anyone join.
import "server-only";
import crypto from "node:crypto";
import type { Db } from "@/lib/db/client";
import type { Prisma } from "@/lib/generated/prisma/client";
import type { Role } from "@/lib/generated/prisma/enums";
import type { TeamContext } from "@/lib/auth/context";
import { can } from "@/lib/auth/roles";
import { audit } from "@/lib/audit";
import { sha256 } from "@/lib/crypto";
import { NotFoundError, UserError } from "@/lib/errors";
import type { CreateInviteInput } from "./invites.schema";

export type InviteState = "pending" | "expired" | "revoked" | "used";

interface InviteRow {
  expiresAt: Date;
  acceptedAt: Date | null;
  acceptedById: string | null;
  revokedAt: Date | null;
}

export function inviteState(i: InviteRow, now = new Date()): InviteState {
  if (i.revokedAt) return "revoked";
  if (i.acceptedAt) return "used";
  if (i.expiresAt <= now) return "expired";
  return "pending";
}

export const inviteProblem: Record<Exclude<InviteState, "pending"> | "unknown", string> = {
  expired: "This invite link has expired. Ask a team admin for a new one.",
  revoked: "This invite link was revoked by a team admin. Ask them for a new one.",
  used: "This invite link has already been used. Invite links work once; ask a team admin for a new one.",
  unknown: "This invite link is not valid. Check that you copied the whole link, or ask a team admin for a new one.",
};

/** The heading of a page that shows an invite's problem. */
export const inviteProblemTitle: Record<keyof typeof inviteProblem, string> = {
  unknown: "Invite not found",
  expired: "Invite expired",
  revoked: "Invite revoked",
  used: "Invite already used",
};

export class InviteError extends UserError {
  constructor(readonly state: keyof typeof inviteProblem) {
    super(inviteProblem[state]);
    this.name = "InviteError";
  }
}

function requireManager(ctx: TeamContext) {
  if (!can.manage(ctx.role)) throw new UserError("Only the team's owners and admins can invite people.");
}

/** Makes an invite; the token is returned once and never stored. */
export async function createInvite(prisma: Db, ctx: TeamContext, input: CreateInviteInput) {
  requireManager(ctx);
  const token = crypto.randomBytes(24).toString("base64url");
  const invite = await prisma.invite.create({
    data: {
      teamId: ctx.team.id,
      tokenHash: sha256(token),
      role: input.role,
      createdById: ctx.user.id,
      expiresAt: new Date(Date.now() + input.days * 24 * 3600 * 1000),
    },
    select: { id: true, role: true, expiresAt: true, createdAt: true },
  });
  await audit(prisma, {
    teamId: ctx.team.id,
    actorId: ctx.user.id,
    action: "invite.created",
    targetType: "invite",
    targetId: invite.id,
    targetLabel: `${invite.role.toLowerCase()} invite`,
    data: { role: input.role, days: input.days },
  });
  return { token, path: `/invite/${token}`, invite };
}

/** Invites not yet used, revoked or expired, newest first. Anyone in the team may see them. */
export async function listPendingInvites(prisma: Db, ctx: TeamContext) {
  const rows = await prisma.invite.findMany({
    where: { teamId: ctx.team.id, acceptedAt: null, revokedAt: null, expiresAt: { gt: new Date() } },
    orderBy: { createdAt: "desc" },
    select: { id: true, role: true, expiresAt: true, createdAt: true, createdById: true },
  });
  const creators = await prisma.user.findMany({
    where: { id: { in: [...new Set(rows.map((r) => r.createdById))] } },
    select: { id: true, name: true },
  });
  const nameOf = new Map(creators.map((u) => [u.id, u.name]));
  return rows.map(({ createdById, ...r }) => ({ ...r, createdBy: nameOf.get(createdById) ?? "a former member" }));
}

export async function revokeInvite(prisma: Db, ctx: TeamContext, inviteId: string) {
  requireManager(ctx);
  const invite = await prisma.invite.findFirst({ where: { id: inviteId, teamId: ctx.team.id } });
  if (!invite) throw new NotFoundError("That invite");
  const state = inviteState(invite);
  if (state === "used") throw new UserError("That invite has already been used; remove the member instead.");
  if (state === "revoked") return;
  await prisma.invite.update({ where: { id: invite.id }, data: { revokedAt: new Date() } });
  await audit(prisma, { teamId: ctx.team.id, actorId: ctx.user.id, action: "invite.revoked", targetType: "invite", targetId: invite.id, targetLabel: `${invite.role.toLowerCase()} invite` });
}

/** What the invite page shows before anyone is signed in: only the team name and the role. */
export async function lookupInvite(prisma: Db | Prisma.TransactionClient, token: string) {
  const invite = await prisma.invite.findUnique({
    where: { tokenHash: sha256(token) },
    select: { id: true, role: true, expiresAt: true, acceptedAt: true, acceptedById: true, revokedAt: true, team: { select: { id: true, name: true } } },
  });
  if (!invite) return { state: "unknown" as const };
  return {
    state: inviteState(invite),
    role: invite.role as Role,
    team: invite.team,
    expiresAt: invite.expiresAt,
    acceptedById: invite.acceptedById,
  };
}

/**
 * Joins the invite's team with its role. Marks the invite used in the same statement that checks
 * it is still pending, so one link makes one membership even when clicked twice at once.
 * A user who is already a member keeps their role (and the invite stays unused).
 */
export async function acceptInvite(prisma: Db, userId: string, token: string) {
  const found = await lookupInvite(prisma, token);
  if (found.state === "unknown") throw new InviteError("unknown");
  const existing = await prisma.membership.findUnique({
    where: { userId_teamId: { userId, teamId: found.team.id } },
    select: { role: true },
  });
  if (existing) return { team: found.team, role: existing.role, alreadyMember: true };
  if (found.state !== "pending") throw new InviteError(found.state);
  return prisma.$transaction((tx) => claimInvite(tx, userId, token, found));
}

/**
 * Inside the caller's transaction: marks the invite used by this user, if it is still pending, and
 * adds the membership (a sign-up that needs the invite claims it with the new account, or not at all).
 */
export async function claimInvite(tx: Prisma.TransactionClient, userId: string, token: string, found: { team: { id: string; name: string }; role: Role }) {
  const now = new Date();
  const claimed = await tx.invite.updateMany({
    where: { tokenHash: sha256(token), acceptedAt: null, revokedAt: null, expiresAt: { gt: now } },
    data: { acceptedAt: now, acceptedById: userId },
  });
  if (claimed.count !== 1) {
    const again = await tx.invite.findUnique({ where: { tokenHash: sha256(token) } });
    throw new InviteError(again ? (inviteState(again, now) as Exclude<InviteState, "pending">) : "unknown");
  }
  await tx.membership.create({ data: { teamId: found.team.id, userId, role: found.role } });
  await audit(tx, {
    teamId: found.team.id,
    actorId: userId,
    action: "member.joined",
    targetType: "user",
    targetId: userId,
    data: { role: found.role, via: "invite" },
  });
  return { team: found.team, role: found.role, alreadyMember: false };
}
