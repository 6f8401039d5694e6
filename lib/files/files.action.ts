"use server";
// The file page's Delete button (lib/files/delete.ts has the rules): back to the Files page once done.
import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { z } from "zod";
import { teamAction, type ActionResult } from "@/lib/actions";
import { db } from "@/lib/db/client";
import { deleteFile } from "./delete";

const remove = teamAction(z.object({ fileId: z.string().min(1).max(64) }), "MEMBER", async ({ fileId }, ctx) => {
  await deleteFile(await db(), ctx, fileId);
  revalidatePath("/files");
  // The file's own page is gone: redirect() answers the action, so the page is never shown again.
  redirect("/files");
});

export async function deleteFileAction(_prev: unknown, formData: FormData): Promise<ActionResult<never>> {
  return remove(formData);
}
