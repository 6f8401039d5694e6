"use server";
// Sign in and sign up (Auth.js credentials). Both may carry an invite token (?invite=...) and accept
// it right after the account is known, so a new teammate lands in the invited team. Sign-ups follow
// the server's policy (SIGN_UP, lib/auth/sign-up.ts) and every step is rate limited per client
// address and per account (lib/auth/rate-limits.ts; sign-in's limits are counted in authorize).
import { redirect } from "next/navigation";
import { AuthError } from "next-auth";
import { db } from "@/lib/db/client";
import { settings } from "@/lib/env";
import { fieldErrorsOf, isNextControlFlow } from "@/lib/actions";
import { toUserMessage, UserError } from "@/lib/errors";
import { localizeResult } from "@/lib/i18n/server-messages.request";
import { requestClientIp } from "@/lib/http/client-ip";
import { acceptInvite, InviteError } from "@/lib/teams/invites";
import { setCurrentTeamCookie } from "@/lib/teams/cookie";
import { signIn } from "./auth";
import { TooManySignInsError } from "./credentials";
import { attemptSucceeded, countAttempt, inviteAttempt, signUpAttempt, TooManyAttemptsError } from "./rate-limits";
import { signUp, TAKEN_EMAIL } from "./sign-up";
import { signInInput, signUpInput, type AuthFormState } from "./sign-up.schema";

const WRONG = "Wrong email or password.";

function formValues(formData: FormData) {
  const get = (k: string) => (typeof formData.get(k) === "string" ? String(formData.get(k)) : undefined);
  return { raw: { name: get("name"), email: get("email"), password: get("password"), invite: get("invite") }, values: { name: get("name"), email: get("email") } };
}

/** Accepts the invite for a user who just proved who they are; where to go next. */
async function afterAuth(userId: string, invite: string | undefined) {
  if (!invite) return "/overview";
  const prisma = await db();
  const attempt = inviteAttempt(await requestClientIp(), userId);
  try {
    await countAttempt(prisma, attempt);
    const { team } = await acceptInvite(prisma, userId, invite);
    await attemptSucceeded(prisma, attempt);
    await setCurrentTeamCookie(team.id);
    return "/overview";
  } catch (err) {
    // The invite page explains what is wrong with the link (or says to wait); the account itself is fine.
    if (err instanceof InviteError || err instanceof TooManyAttemptsError) return `/invite/${encodeURIComponent(invite)}`;
    throw err;
  }
}

/** Their messages and field errors in the request's language (lib/i18n/server-messages.ts). */
export async function signInAction(prev: AuthFormState, formData: FormData): Promise<AuthFormState> {
  return localizeResult(await signInRun(prev, formData));
}

export async function signUpAction(prev: AuthFormState, formData: FormData): Promise<AuthFormState> {
  return localizeResult(await signUpRun(prev, formData));
}

async function signInRun(_prev: AuthFormState, formData: FormData): Promise<AuthFormState> {
  const { raw, values } = formValues(formData);
  const parsed = signInInput.safeParse(raw);
  if (!parsed.success) {
    const fieldErrors = fieldErrorsOf(parsed.error);
    return { ok: false, message: fieldErrors.invite ? "That invite link is not valid." : undefined, fieldErrors, values };
  }
  const { email, password, invite } = parsed.data;
  let next: string;
  try {
    if (!invite) {
      await signIn("credentials", { email, password, redirectTo: "/overview" });
      return { ok: true };
    }
    await signIn("credentials", { email, password, redirect: false });
    const user = await (await db()).user.findUnique({ where: { email }, select: { id: true } });
    if (!user) return { ok: false, message: WRONG, values };
    next = await afterAuth(user.id, invite);
  } catch (err) {
    if (isNextControlFlow(err)) throw err;
    if (err instanceof TooManySignInsError) return { ok: false, message: err.limited.message, values };
    if (err instanceof AuthError) {
      return { ok: false, message: err.type === "CredentialsSignin" ? WRONG : "We could not sign you in. Please try again.", values };
    }
    return { ok: false, message: toUserMessage(err), values };
  }
  redirect(next);
}

async function signUpRun(_prev: AuthFormState, formData: FormData): Promise<AuthFormState> {
  const { raw, values } = formValues(formData);
  const parsed = signUpInput.safeParse(raw);
  if (!parsed.success) {
    const fieldErrors = fieldErrorsOf(parsed.error);
    return { ok: false, message: fieldErrors.invite ? "That invite link is not valid." : undefined, fieldErrors, values };
  }
  const { email, password, invite } = parsed.data;
  try {
    const prisma = await db();
    await countAttempt(prisma, signUpAttempt(await requestClientIp(), email));
    const { user } = await signUp(prisma, parsed.data, { policy: settings().SIGN_UP, invite });
    const next = await afterAuth(user.id, invite);
    await signIn("credentials", { email, password, redirectTo: next });
    return { ok: true };
  } catch (err) {
    if (isNextControlFlow(err)) throw err;
    if (err instanceof UserError) return { ok: false, message: err.message, fieldErrors: err.fieldErrors, values, emailTaken: err.message === TAKEN_EMAIL };
    if (err instanceof AuthError) return { ok: false, message: "Your account was created, but signing in failed. Please sign in.", values };
    return { ok: false, message: toUserMessage(err), values };
  }
}
