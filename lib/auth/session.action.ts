"use server";
// The session's own actions: sign out, switch team, and the Account page's password change and
// "sign out everywhere" (lib/auth/sessions.ts).
import { cookies } from "next/headers";
import { redirect } from "next/navigation";
import { db } from "@/lib/db/client";
import { fieldErrorsOf, formToObject, isNextControlFlow } from "@/lib/actions";
import { toUserMessage, UserError } from "@/lib/errors";
import { localizeResult } from "@/lib/i18n/server-messages.request";
import { requestClientIp } from "@/lib/http/client-ip";
import { log } from "@/lib/log";
import { signIn, signOut } from "./auth";
import { TEAM_COOKIE, currentTeam, currentUser } from "./context";
import { changePassword, signOutEverywhere } from "./sessions";
import { changePasswordInput } from "./sign-up.schema";

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
  redirect("/overview");
}

export interface ChangePasswordState {
  ok: boolean;
  message?: string;
  fieldErrors?: Record<string, string>;
}

/** A new password: every session ends, then this browser signs in again with the new password. */
export async function changePasswordAction(_prev: ChangePasswordState, formData: FormData): Promise<ChangePasswordState> {
  const parsed = changePasswordInput.safeParse(formToObject(formData));
  if (!parsed.success) return localizeResult({ ok: false, fieldErrors: fieldErrorsOf(parsed.error) });
  const user = await currentUser();
  if (!user) redirect("/sign-in");
  try {
    await changePassword(await db(), user, parsed.data, await requestClientIp());
  } catch (err) {
    if (isNextControlFlow(err)) throw err;
    const fieldErrors = err instanceof UserError ? err.fieldErrors : undefined;
    return localizeResult({ ok: false, message: fieldErrors ? undefined : toUserMessage(err), fieldErrors });
  }
  try {
    // This browser's token carries the old session version: a fresh one, at the new version.
    await signIn("credentials", { email: user.email, password: parsed.data.newPassword, redirect: false });
  } catch (err) {
    if (isNextControlFlow(err)) throw err;
    log.warn("account.sign_in_after_password_change_failed", { userId: user.id, err });
    redirect("/sign-in"); // the password is changed; signing in again with it is all that is left
  }
  // A new request, which carries the new cookie (this one's still holds the stale token).
  redirect("/account?password=changed");
}

/** Ends every session of the user, this one included. */
export async function signOutEverywhereAction() {
  const user = await currentUser();
  if (!user) redirect("/sign-in");
  await signOutEverywhere(await db(), user.id);
  (await cookies()).delete(TEAM_COOKIE);
  await signOut({ redirectTo: "/sign-in" });
}
