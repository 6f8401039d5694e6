"use server";
// The provider files page's actions: delete one file, delete every file no batch needs, and the
// connection's file settings. Admins only: the files of a provider account may be other tools' too,
// and the settings are the connection's (like its key and limits).
import { revalidatePath } from "next/cache";
import { teamAction, type ActionResult } from "@/lib/actions";
import { db } from "@/lib/db/client";
import { deleteProviderFile, deleteUnusedProviderFiles, saveFileSettings } from "./provider-files";
import { connectionFilesInput, fileSettingsInput, providerFileInput, type ConnectionFilesInput, type FileSettingsInput, type ProviderFileInput } from "./provider-files.schema";

const page = (id: string) => `/providers/${id}/files`;

const deleteOne = teamAction(providerFileInput, "ADMIN", async ({ connectionId, fileId }, ctx) => {
  const out = await deleteProviderFile(await db(), ctx, connectionId, fileId);
  revalidatePath(page(connectionId));
  return out;
});

const deleteUnused = teamAction(connectionFilesInput, "ADMIN", async ({ connectionId }, ctx) => {
  const out = await deleteUnusedProviderFiles(await db(), ctx, connectionId);
  revalidatePath(page(connectionId));
  return out;
});

const settings = teamAction(fileSettingsInput, "ADMIN", async ({ connectionId, ...s }, ctx) => {
  const out = await saveFileSettings(await db(), ctx, connectionId, s);
  revalidatePath(page(connectionId));
  return out;
});

export async function deleteProviderFileAction(input: FormData | ProviderFileInput): Promise<ActionResult<{ deleted: number }>> {
  return deleteOne(input);
}

export async function deleteUnusedProviderFilesAction(input: FormData | ConnectionFilesInput): Promise<ActionResult<{ deleted: number; failed: number; left: number }>> {
  return deleteUnused(input);
}

export async function saveFileSettingsAction(_prev: unknown, input: FormData | FileSettingsInput): Promise<ActionResult<{ deleteInputFiles: boolean; fileExpiryDays: number | null }>> {
  return settings(input);
}
