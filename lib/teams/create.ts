// Creating users and teams. A new team starts with the built-in Sandbox connection.
import "server-only";
import type { Db } from "@/lib/db/client";
import type { Prisma } from "@/lib/generated/prisma/client";
import { audit } from "@/lib/audit";
import { encryptSecret, last4 } from "@/lib/crypto";
import { sandboxKeyForTeam } from "@/lib/providers/sandbox/keys";
import { defaultTeamName } from "./name";

const SANDBOX = { kind: "sandbox", baseUrl: "builtin" } as const;

/** The team's built-in Sandbox connection (a new team's default for the API), or null if it was removed. */
export function teamSandbox(prisma: Db, teamId: string) {
  return prisma.providerConnection.findFirst({ where: { teamId, ...SANDBOX }, orderBy: { createdAt: "asc" }, select: { id: true, name: true, kind: true } });
}

export async function createTeamWithSandbox(tx: Prisma.TransactionClient, name: string, ownerId: string, personal: boolean) {
  const team = await tx.team.create({ data: { name, personal } });
  await tx.membership.create({ data: { teamId: team.id, userId: ownerId, role: "OWNER" } });
  const key = sandboxKeyForTeam(team.id);
  await tx.providerConnection.create({
    data: {
      teamId: team.id,
      ...SANDBOX,
      name: "Sandbox",
      encryptedKey: encryptSecret(key),
      keyLast4: last4(key),
      createdById: ownerId,
    },
  });
  return team;
}

type NewUser = { email: string; name: string; passwordHash: string };

export async function createUserWithTeam(prisma: Db, u: NewUser) {
  return prisma.$transaction((tx) => addUserWithTeam(tx, u));
}

/** createUserWithTeam inside a transaction of the caller's. */
export async function addUserWithTeam(tx: Prisma.TransactionClient, u: NewUser, by: { actorLabel?: string } = {}) {
  const user = await tx.user.create({ data: u, select: { id: true, email: true, name: true } });
  const team = await createTeamWithSandbox(tx, defaultTeamName(u.name), user.id, true);
  // Made by the admin CLI: no actor id (the new user did not act), its label says who did.
  const actor = by.actorLabel ? { actorLabel: by.actorLabel } : { actorId: user.id };
  await audit(tx, { teamId: team.id, ...actor, action: "account.created", targetType: "user", targetId: user.id, targetLabel: user.email });
  await audit(tx, { teamId: team.id, ...actor, action: "team.created", targetType: "team", targetId: team.id, targetLabel: team.name });
  return { user, team };
}
