// Who is asking, and in which team: every page, action and route resolves this itself.
// The current team is a cookie, always checked against the user's memberships.
import "server-only";
import { cache } from "react";
import { cookies } from "next/headers";
import { redirect } from "next/navigation";
import { db } from "@/lib/db/client";
import type { Role } from "@/lib/generated/prisma/enums";
import { UserError } from "@/lib/errors";
import { atLeast } from "./roles";
import { auth } from "./auth";

export const TEAM_COOKIE = "bb_team";

export interface TeamContext {
  user: { id: string; email: string; name: string };
  team: { id: string; name: string; personal: boolean };
  role: Role;
  teams: { id: string; name: string; personal: boolean; role: Role }[];
}

/** The signed-in user, or null. The session must still name an existing user. */
export const currentUser = cache(async () => {
  const session = await auth();
  const id = session?.user?.id;
  if (!id) return null;
  const prisma = await db();
  return prisma.user.findUnique({ where: { id }, select: { id: true, email: true, name: true, locale: true, theme: true } });
});

/** The user and their current team, or null when signed out. */
export const currentTeam = cache(async (): Promise<TeamContext | null> => {
  const user = await currentUser();
  if (!user) return null;
  const prisma = await db();
  const memberships = await prisma.membership.findMany({
    where: { userId: user.id },
    include: { team: true },
    orderBy: { createdAt: "asc" },
  });
  if (memberships.length === 0) return null;
  const wanted = (await cookies()).get(TEAM_COOKIE)?.value;
  const m = memberships.find((x) => x.teamId === wanted) ?? memberships[0];
  return {
    user,
    team: { id: m.team.id, name: m.team.name, personal: m.team.personal },
    role: m.role,
    teams: memberships.map((x) => ({ id: x.team.id, name: x.team.name, personal: x.team.personal, role: x.role })),
  };
});

/** For pages: signed-out visitors go to the sign-in page. */
export async function requireTeamPage(): Promise<TeamContext> {
  const ctx = await currentTeam();
  if (!ctx) redirect("/sign-in");
  return ctx;
}

/** For actions and routes: throws a UserError the caller turns into a message or a 401/403. */
export async function requireTeam(minRole: Role = "VIEWER"): Promise<TeamContext> {
  const ctx = await currentTeam();
  if (!ctx) throw new UnauthenticatedError();
  if (!atLeast(ctx.role, minRole)) throw new ForbiddenError(minRole);
  return ctx;
}

export class UnauthenticatedError extends UserError {
  constructor() {
    super("Please sign in again.");
    this.name = "UnauthenticatedError";
  }
}

export class ForbiddenError extends UserError {
  constructor(minRole: Role) {
    super(`Your role in this team cannot do that (it needs ${minRole.toLowerCase()} or above).`);
    this.name = "ForbiddenError";
  }
}
