"use server";
// The batch engine's server actions. Each resolves the session and the team itself (teamAction) and
// touches only that team's objects: another team's batch, file or connection is "not found".
import { revalidatePath } from "next/cache";
import { teamAction, type ActionResult } from "@/lib/actions";
import { cancelBatch } from "./cancel";
import { launchBatch } from "./launch";
import { cancelBatchInput, launchBatchInput, type CancelBatchInput, type LaunchBatchInput } from "./schemas";

const launch = teamAction(launchBatchInput, "MEMBER", async (input, ctx) => {
  const { batchId } = await launchBatch(input, ctx);
  revalidatePath("/batches");
  return { batchId };
});

const cancel = teamAction(cancelBatchInput, "MEMBER", async ({ batchId }, ctx) => {
  const out = await cancelBatch(ctx, batchId);
  revalidatePath(`/batches/${batchId}`);
  revalidatePath("/batches");
  return out;
});

/** Launches a batch; the same idempotencyKey always answers the same batchId. */
export async function launchBatchAction(input: FormData | LaunchBatchInput): Promise<ActionResult<{ batchId: string }>> {
  return launch(input);
}

export async function cancelBatchAction(input: FormData | CancelBatchInput): Promise<ActionResult<{ batchId: string; status: string }>> {
  return cancel(input);
}
