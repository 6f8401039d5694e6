"use server";
import { revalidatePath } from "next/cache";
import { headers } from "next/headers";
import { redirect } from "next/navigation";
import { db } from "@/lib/db/client";
import { teamAction, isNextControlFlow } from "@/lib/actions";
import { currentUser } from "@/lib/auth/context";
import { attemptSucceeded, countAttempt, inviteAttempt } from "@/lib/auth/rate-limits";
import { toUserMessage } from "@/lib/errors";
import { localizeResult } from "@/lib/i18n/server-messages.request";
import { requestClientIp } from "@/lib/http/client-ip";
import { publicOrigin } from "@/lib/http/origin";
import { acceptInvite, createInvite, revokeInvite } from "./invites";
import { acceptInviteInput, createInviteInput, inviteIdInput } from "./invites.schema";
import { setCurrentTeamCookie } from "./cookie";

const create = teamAction(createInviteInput, "ADMIN", async (input, ctx) => {
  const { path, invite } = await createInvite(await db(), ctx, input);
  revalidatePath("/team");
  // The address this person reached the app at, so the link works for them (the browser may refine it).
  const origin = publicOrigin(await headers());
  return { path, url: origin ? `${origin}${path}` : path, role: invite.role, expiresAt: invite.expiresAt.toISOString() };
});

export async function createInviteAction(_prev: unknown, formData: FormData) {
  return create(formData);
}

const revoke = teamAction(inviteIdInput, "ADMIN", async ({ inviteId }, ctx) => {
  await revokeInvite(await db(), ctx, inviteId);
  revalidatePath("/team");
});

export async function revokeInviteAction(_prev: unknown, formData: FormData) {
  return revoke(formData);
}

/** "Join <team>" on the invite page, for a signed-in user; rate limited per address and account. */
export async function acceptInviteAction(_prev: unknown, formData: FormData): Promise<{ ok: false; message: string }> {
  const parsed = acceptInviteInput.safeParse({ token: formData.get("token") });
  if (!parsed.success) return localizeResult({ ok: false, message: "That invite link is not valid." });
  const user = await currentUser();
  if (!user) redirect(`/sign-in?invite=${encodeURIComponent(parsed.data.token)}`);
  try {
    const prisma = await db();
    const attempt = inviteAttempt(await requestClientIp(), user.id);
    await countAttempt(prisma, attempt);
    const { team } = await acceptInvite(prisma, user.id, parsed.data.token);
    await attemptSucceeded(prisma, attempt);
    await setCurrentTeamCookie(team.id);
  } catch (err) {
    if (isNextControlFlow(err)) throw err;
    return localizeResult({ ok: false, message: toUserMessage(err) });
  }
  redirect("/batches");
}
