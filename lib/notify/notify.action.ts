"use server";
// Server actions of notifications: the bell (list, mark read), a member's preferences, and the
// team's webhooks (admins). The rules are in inbox.ts, preferences.ts and webhooks.ts.
import { revalidatePath } from "next/cache";
import { z } from "zod";
import { teamAction } from "@/lib/actions";
import { db } from "@/lib/db/client";
import { markAllRead, markRead, readInbox } from "./inbox";
import { savePreferences } from "./preferences";
import { savePreferencesInput } from "./preferences.schema";
import { addWebhook, deleteWebhook, sendTestEvent, setWebhookEnabled } from "./webhooks";
import { addWebhookInput, setWebhookEnabledInput, webhookIdInput } from "./webhooks.schema";
import { localizeMessage } from "@/lib/i18n/user-message";

const inbox = teamAction(z.object({}), "VIEWER", async (_input, ctx) => readInbox(await db(), ctx.user.id, ctx.team.id));
export async function inboxAction() {
  return inbox({});
}

const readOne = teamAction(z.object({ id: z.string().min(1) }), "VIEWER", async ({ id }, ctx) => {
  await markRead(await db(), ctx.user.id, ctx.team.id, id);
  return readInbox(await db(), ctx.user.id, ctx.team.id);
});
export async function markReadAction(input: { id: string }) {
  return readOne(input);
}

const readAll = teamAction(z.object({}), "VIEWER", async (_input, ctx) => {
  await markAllRead(await db(), ctx.user.id, ctx.team.id);
  return readInbox(await db(), ctx.user.id, ctx.team.id);
});
export async function markAllReadAction() {
  return readAll({});
}

const savePrefs = teamAction(savePreferencesInput, "VIEWER", async (input, ctx) => {
  await savePreferences(await db(), ctx, input);
  revalidatePath("/account/notifications");
});
export async function savePreferencesAction(_prev: unknown, formData: FormData) {
  return savePrefs(formData);
}

const add = teamAction(addWebhookInput, "ADMIN", async (input, ctx) => {
  const r = await addWebhook(await db(), ctx, input);
  revalidatePath("/team/webhooks");
  return r;
});
export async function addWebhookAction(_prev: unknown, formData: FormData) {
  // One checkbox per event: the form sends "events" once for each ticked.
  formData.set("events", formData.getAll("events").join(","));
  return add(formData);
}

const setEnabled = teamAction(setWebhookEnabledInput, "ADMIN", async ({ webhookId, enabled }, ctx) => {
  await setWebhookEnabled(await db(), ctx, webhookId, enabled);
  revalidatePath("/team/webhooks");
});
export async function setWebhookEnabledAction(_prev: unknown, formData: FormData) {
  return setEnabled(formData);
}

const remove = teamAction(webhookIdInput, "ADMIN", async ({ webhookId }, ctx) => {
  await deleteWebhook(await db(), ctx, webhookId);
  revalidatePath("/team/webhooks");
});
export async function deleteWebhookAction(_prev: unknown, formData: FormData) {
  return remove(formData);
}

const test = teamAction(webhookIdInput, "ADMIN", async ({ webhookId }, ctx) => {
  const r = await sendTestEvent(await db(), ctx, webhookId);
  revalidatePath("/team/webhooks");
  // Delivered or not, the outcome is the answer: in the user's language.
  return { ...r, message: await localizeMessage(r.message) };
});
export async function sendTestEventAction(_prev: unknown, formData: FormData) {
  return test(formData);
}
