"use server";
import { revalidatePath } from "next/cache";
import { db } from "@/lib/db/client";
import { teamAction } from "@/lib/actions";
import { z } from "zod";
import { addConnection, deleteConnection, editConnectionLimits, listConnections, renameConnection, replaceKey, testConnection } from "./connections";
import { effectiveProfile, editLimitsInput, type EditLimitsForm } from "./connections.limits";
import { profiles, uploadLimitsFor } from "./profiles";
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

// The upload panel's "check for" choices: each connection with the limits it checks (its own, for a custom one).
const targets = teamAction(z.object({}), "MEMBER", async (_input, ctx) => {
  const rows = await listConnections(await db(), ctx);
  return rows.flatMap((c) => {
    if (!profiles[c.kind]) return [];
    const p = effectiveProfile(c.kind, c.limits);
    const l = uploadLimitsFor(p);
    return [{ id: c.id, name: c.name, label: p.label, maxFileBytes: l.maxFileBytes, maxRequests: l.maxRequests, maxLineBytes: l.maxLineBytes, endpoints: p.endpoints, fileNameRule: l.fileName?.rule ?? null }];
  });
});
export async function uploadTargetsAction() {
  return targets({});
}
