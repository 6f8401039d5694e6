"use server";
import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { db } from "@/lib/db/client";
import { teamAction, type ActionResult } from "@/lib/actions";
import { currentUser } from "@/lib/auth/context";
import { fieldErrorsOf, isNextControlFlow } from "@/lib/actions";
import { toUserMessage } from "@/lib/errors";
import { localizeResult } from "@/lib/i18n/server-messages.request";
import { changeRole, createTeam, removeMember } from "./members";
import { changeRoleInput, createTeamInput, removeMemberInput } from "./members.schema";
import { setCurrentTeamCookie } from "./cookie";

const change = teamAction(changeRoleInput, "ADMIN", async (input, ctx) => {
  const r = await changeRole(await db(), ctx, input);
  revalidatePath("/team");
  return r;
});

export async function changeRoleAction(_prev: unknown, formData: FormData) {
  return change(formData);
}

// VIEWER: anyone may leave; removeMember checks the rest itself.
const remove = teamAction(removeMemberInput, "VIEWER", async ({ membershipId }, ctx) => removeMember(await db(), ctx, membershipId));

export async function removeMemberAction(_prev: unknown, formData: FormData) {
  const r = await remove(formData);
  if (r.ok && r.data.self) redirect("/batches");
  if (r.ok) revalidatePath("/team");
  return r;
}

export async function createTeamAction(_prev: unknown, formData: FormData): Promise<ActionResult> {
  const parsed = createTeamInput.safeParse({ name: formData.get("name") ?? "" });
  if (!parsed.success) {
    const fieldErrors = fieldErrorsOf(parsed.error);
    return localizeResult({ ok: false, message: Object.values(fieldErrors)[0], fieldErrors });
  }
  const user = await currentUser();
  if (!user) redirect("/sign-in");
  let teamId: string;
  try {
    teamId = (await createTeam(await db(), user.id, parsed.data)).id;
    await setCurrentTeamCookie(teamId);
  } catch (err) {
    if (isNextControlFlow(err)) throw err;
    return localizeResult({ ok: false, message: toUserMessage(err) });
  }
  redirect("/team");
}
