// The current-team cookie (read by lib/auth/context.ts, always checked against memberships there).
import "server-only";
import { cookies } from "next/headers";
import { TEAM_COOKIE } from "@/lib/auth/context";

export async function setCurrentTeamCookie(teamId: string) {
  (await cookies()).set(TEAM_COOKIE, teamId, { httpOnly: true, sameSite: "lax", path: "/", maxAge: 365 * 24 * 3600 });
}
