"use server";
// The import page's server action: the session and a member role or above are checked by
// teamAction, the connection against the team inside importBatches.
import { revalidatePath } from "next/cache";
import { z } from "zod";
import { teamAction, type ActionResult } from "@/lib/actions";
import { db } from "@/lib/db/client";
import { importBatches, MAX_IMPORT_IDS, type ImportOutcome } from "./import";

const importBatchesInput = z.object({
  connectionId: z.string().min(1),
  providerBatchIds: z.array(z.string().min(1).max(200)).min(1, "Choose at least one batch to import.").max(MAX_IMPORT_IDS),
});

const run = teamAction(importBatchesInput, "MEMBER", async ({ connectionId, providerBatchIds }, ctx) => {
  const out = await importBatches(await db(), ctx, connectionId, providerBatchIds);
  revalidatePath("/batches");
  return out;
});

export async function importBatchesAction(input: { connectionId: string; providerBatchIds: string[] }): Promise<ActionResult<ImportOutcome[]>> {
  return run(input);
}
