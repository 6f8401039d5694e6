"use server";
// The empty Batches page's "Run a sample batch": a member (or above) stores the sample file and
// launches it on the team's built-in Sandbox (sample.ts), and is taken to the batch's page.
import { revalidatePath } from "next/cache";
import { z } from "zod";
import { teamAction, type ActionResult } from "@/lib/actions";
import { launchSample } from "./sample";

const run = teamAction(z.object({}), "MEMBER", async (_input, ctx) => {
  const { batchId } = await launchSample(ctx);
  revalidatePath("/batches");
  revalidatePath("/files");
  return { batchId };
});

export async function launchSampleAction(): Promise<ActionResult<{ batchId: string }>> {
  return run({});
}
