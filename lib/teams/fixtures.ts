// Test helpers: a private data folder for the generated secrets, users with their personal team,
// and the TeamContext a signed-in user would get. For tests only (never imported by the app).
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import crypto from "node:crypto";
import type { Db } from "@/lib/db/client";
import type { TeamContext } from "@/lib/auth/context";
import { setEnvForTests } from "@/lib/env";
import { createUserWithTeam } from "./create";

/** Points DATA_DIR at a fresh temporary folder so env() makes its secrets there, not in ./data. */
export function useTempDataDir() {
  setEnvForTests({ DATA_DIR: fs.mkdtempSync(path.join(os.tmpdir(), "bb-test-")) });
}

export async function makeUser(prisma: Db, name = "User") {
  const email = `${name.toLowerCase().replace(/\W+/g, "")}-${crypto.randomBytes(4).toString("hex")}@example.com`;
  // A pre-computed hash keeps tests fast; sign-up tests hash for real.
  return createUserWithTeam(prisma, { email, name, passwordHash: "not-a-real-hash" });
}

export async function ctxOf(prisma: Db, userId: string, teamId: string): Promise<TeamContext> {
  const user = await prisma.user.findUniqueOrThrow({ where: { id: userId }, select: { id: true, email: true, name: true } });
  const memberships = await prisma.membership.findMany({ where: { userId }, include: { team: true } });
  const m = memberships.find((x) => x.teamId === teamId);
  if (!m) throw new Error("not a member");
  return {
    user,
    team: { id: m.team.id, name: m.team.name, personal: m.team.personal },
    role: m.role,
    teams: memberships.map((x) => ({ id: x.team.id, name: x.team.name, personal: x.team.personal, role: x.role })),
  };
}

/** Adds a user to a team with a role, as an accepted invite would. */
export async function addMember(prisma: Db, teamId: string, userId: string, role: "OWNER" | "ADMIN" | "MEMBER" | "VIEWER") {
  await prisma.membership.create({ data: { teamId, userId, role } });
}
