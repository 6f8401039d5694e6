"use server";
import { cookies } from "next/headers";
import { redirect } from "next/navigation";
import { signOut } from "./auth";
import { TEAM_COOKIE, currentTeam } from "./context";

export async function signOutAction() {
  (await cookies()).delete(TEAM_COOKIE);
  await signOut({ redirectTo: "/sign-in" });
}

/** Switches the current team; only to a team the user belongs to. */
export async function switchTeamAction(formData: FormData) {
  const teamId = String(formData.get("teamId") ?? "");
  const ctx = await currentTeam();
  if (!ctx) redirect("/sign-in");
  if (ctx.teams.some((t) => t.id === teamId)) {
    (await cookies()).set(TEAM_COOKIE, teamId, { httpOnly: true, sameSite: "lax", path: "/", maxAge: 365 * 24 * 3600 });
  }
  redirect("/batches");
}
