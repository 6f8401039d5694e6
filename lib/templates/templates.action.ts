"use server";
// Server actions of the saved CSV templates; the rules are in templates.ts.
import { revalidatePath } from "next/cache";
import { z } from "zod";
import { teamAction } from "@/lib/actions";
import { db } from "@/lib/db/client";
import { deleteTemplate, renameTemplate, saveTemplate } from "./templates";
import { renameTemplateInput, saveTemplateInput, templateIdInput } from "./templates.schema";

const save = teamAction(saveTemplateInput.extend({ overwrite: z.boolean().optional() }), "MEMBER", async (input, ctx) => {
  const r = await saveTemplate(await db(), ctx, input);
  revalidatePath("/templates");
  return r;
});

export async function saveTemplateAction(input: z.input<typeof saveTemplateInput> & { overwrite?: boolean }) {
  return save(input);
}

const rename = teamAction(renameTemplateInput, "MEMBER", async (input, ctx) => {
  const r = await renameTemplate(await db(), ctx, input);
  revalidatePath("/templates");
  return r;
});

export async function renameTemplateAction(_prev: unknown, formData: FormData) {
  return rename(formData);
}

const remove = teamAction(templateIdInput, "MEMBER", async ({ templateId }, ctx) => {
  await deleteTemplate(await db(), ctx, templateId);
  revalidatePath("/templates");
});

export async function deleteTemplateAction(_prev: unknown, formData: FormData) {
  return remove(formData);
}
