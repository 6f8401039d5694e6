// Sessions that can be ended. Sessions are JWTs in a cookie (nothing stored per session), so each
// user has a session version: a token carries the version its sign-in saw, the jwt callback of
// lib/auth/auth.ts refuses a token whose version is no longer the user's (every auth() call, hence
// currentUser() and Auth.js's own /api/auth/session), and raising the version ends every session
// at once. Changing the password raises it too; the action then signs this browser in again, so
// only the other sessions end.
import "server-only";
import type { Db } from "@/lib/db/client";
import type { Prisma } from "@/lib/generated/prisma/client";
import { auditUser } from "@/lib/audit";
import { UserError } from "@/lib/errors";
import { log } from "@/lib/log";
import { checkPassword, hashPassword } from "./password";
import { attemptSucceeded, countAttempt, signInAttempt } from "./rate-limits";
import { passwordProblem, type ChangePasswordInput } from "./sign-up.schema";

export const WRONG_CURRENT_PASSWORD = "That is not your current password.";

/** Whether a token signed in at `version` is still good for this user (tokens from before versions count as 0). */
export async function sessionIsCurrent(prisma: Db, userId: string, version: number | undefined): Promise<boolean> {
  const user = await prisma.user.findUnique({ where: { id: userId }, select: { sessionVersion: true } });
  return user !== null && user.sessionVersion === (version ?? 0);
}

/**
 * Raises the user's session version and records why in each of their teams' audit logs; the actor
 * is the user unless said (the admin CLI's password reset).
 */
export async function endSessions(tx: Prisma.TransactionClient, userId: string, action: string, data: Prisma.UserUpdateInput = {}, by: { actorLabel?: string } = {}) {
  await tx.user.update({ where: { id: userId }, data: { ...data, sessionVersion: { increment: 1 } } });
  await auditUser(tx, userId, by.actorLabel ? { actorLabel: by.actorLabel, action } : { actorId: userId, action });
}

/** Ends every session of this user, on every device, including the one asking. */
export async function signOutEverywhere(prisma: Db, userId: string) {
  await prisma.$transaction((tx) => endSessions(tx, userId, "account.signed_out_everywhere"));
  log.info("account.signed_out_everywhere", { userId });
}

/**
 * Sets a new password after checking the current one, and ends every session (the action signs the
 * asking browser in again). A wrong current password counts against the account's sign-in limits.
 */
export async function changePassword(prisma: Db, user: { id: string; email: string }, input: ChangePasswordInput, ip: string) {
  const problem =
    passwordProblem(input.newPassword, user.email) ??
    (input.newPassword === input.currentPassword ? "Choose a password other than your current one." : null);
  if (problem) throw new UserError(problem, { newPassword: problem });

  const attempt = signInAttempt(ip, user.email);
  await countAttempt(prisma, attempt);
  const row = await prisma.user.findUnique({ where: { id: user.id }, select: { passwordHash: true } });
  if (!(await checkPassword(row?.passwordHash, input.currentPassword))) {
    throw new UserError(WRONG_CURRENT_PASSWORD, { currentPassword: WRONG_CURRENT_PASSWORD });
  }
  await attemptSucceeded(prisma, attempt);

  const passwordHash = await hashPassword(input.newPassword);
  await prisma.$transaction((tx) => endSessions(tx, user.id, "account.password_changed", { passwordHash }));
  log.info("account.password_changed", { userId: user.id });
}
