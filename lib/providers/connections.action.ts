"use server";
import { revalidatePath } from "next/cache";
import { db } from "@/lib/db/client";
import { teamAction } from "@/lib/actions";
import { z } from "zod";
import { addConnection, deleteConnection, editConnectionLimits, renameConnection, replaceKey, testConnection } from "./connections";
import { editLimitsInput, type EditLimitsForm } from "./connections.limits";
import { editQueueLimits } from "./connections.queue";
import { editQueueLimitsInput, type EditQueueLimitsInput } from "./queue-limits";
import { addConnectionInput, connectionIdInput, renameConnectionInput, replaceKeyInput } from "./connections.schema";

// Each answer carries only what the page shows: never the connection row with its key.
const add = teamAction(addConnectionInput, "ADMIN", async (input, ctx) => {
  const c = await addConnection(await db(), ctx, input);
  revalidatePath("/providers");
  return { id: c.id, name: c.name };
});
export async function addConnectionAction(_prev: unknown, formData: FormData) {
  return add(formData);
}

const test = teamAction(connectionIdInput, "ADMIN", async ({ connectionId }, ctx) => {
  const r = await testConnection(await db(), ctx, connectionId);
  revalidatePath("/providers");
  return { ok: r.ok, outcome: r.outcome, message: r.message };
});
export async function testConnectionAction(_prev: unknown, formData: FormData) {
  return test(formData);
}

const rename = teamAction(renameConnectionInput, "ADMIN", async (input, ctx) => {
  const c = await renameConnection(await db(), ctx, input);
  revalidatePath("/providers");
  return { name: c.name };
});
export async function renameConnectionAction(_prev: unknown, formData: FormData) {
  return rename(formData);
}

const replace = teamAction(replaceKeyInput, "ADMIN", async (input, ctx) => {
  const c = await replaceKey(await db(), ctx, input);
  revalidatePath("/providers");
  return { keyLast4: c.keyLast4 };
});
export async function replaceKeyAction(_prev: unknown, formData: FormData) {
  return replace(formData);
}

const remove = teamAction(connectionIdInput, "ADMIN", async ({ connectionId }, ctx) => {
  await deleteConnection(await db(), ctx, connectionId);
  revalidatePath("/providers");
});
export async function deleteConnectionAction(_prev: unknown, formData: FormData) {
  return remove(formData);
}

const limits = teamAction(editLimitsInput.extend({ reset: z.boolean().optional() }), "ADMIN", async (input, ctx) => {
  const c = await editConnectionLimits(await db(), ctx, input);
  revalidatePath("/providers");
  return { limits: c.limits };
});
/** Sets a Custom OpenAI-compatible connection's limits (blank fields keep the defaults), or resets them. */
export async function editLimitsAction(input: EditLimitsForm) {
  return limits(input);
}

const queueLimits = teamAction(editQueueLimitsInput, "ADMIN", async (input, ctx) => {
  const limits = await editQueueLimits(await db(), ctx, input);
  revalidatePath("/providers");
  return { queueLimits: limits };
});
/** Sets a connection's queue limits (usage tier, enqueued tokens per model, unfinished batches), or resets them. */
export async function editQueueLimitsAction(input: EditQueueLimitsInput) {
  return queueLimits(input);
}
