"use server";
// The retry action: a member (or above) of the batch's team turns its failed and unfinished requests
// into a child batch. The session and role are resolved here (teamAction); another team's batch or
// connection is "not found". The same idempotencyKey always answers the same child batch.
import { revalidatePath } from "next/cache";
import { teamAction, type ActionResult } from "@/lib/actions";
import { retryBatch } from "./retry";
import { retryBatchInput, type RetryBatchInput } from "./retry.schema";

const retry = teamAction(retryBatchInput, "MEMBER", async (input, ctx) => {
  const { batchId, requests } = await retryBatch(input, ctx);
  revalidatePath(`/batches/${input.batchId}`);
  revalidatePath("/batches");
  return { batchId, requests };
});

export async function retryBatchAction(input: RetryBatchInput): Promise<ActionResult<{ batchId: string; requests: number }>> {
  return retry(input);
}
