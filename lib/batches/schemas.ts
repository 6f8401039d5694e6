// Inputs of the batch actions, shared by the launch form (client) and the server actions.
// No server-only code here: the form imports this module too.
import { z } from "zod";

/** How far ahead a launch may be scheduled. */
export const MAX_START_DELAY_MS = 30 * 24 * 3600_000;

const emptyAsUndefined = (v: unknown) => (typeof v === "string" && v.trim() === "" ? undefined : v);

/** Extra provider metadata: OpenAI's own limits (16 pairs, key <= 64, value <= 512 characters). */
export const batchMetadata = z
  .record(z.string().min(1).max(64), z.string().max(512))
  .refine((m) => Object.keys(m).length <= 12, "At most 12 metadata pairs (Batchboard uses the other 4).");

export const launchBatchInput = z.object({
  connectionId: z.string().min(1, "Choose a provider connection."),
  inputFileId: z.string().min(1, "Choose a file."),
  endpoint: z.string().min(1, "Choose an endpoint."),
  completionWindow: z.string().min(1, "Choose a completion window."),
  name: z.string().trim().min(1, "Give the batch a name.").max(200, "At most 200 characters."),
  description: z.preprocess(emptyAsUndefined, z.string().trim().max(2000, "At most 2,000 characters.").optional()),
  /** Made once per form (a UUID): a double click or a retried request launches one batch, not two. */
  idempotencyKey: z.string().min(8, "Missing launch key; reload the page.").max(128),
  /** Sent to the provider with the batch (the sandbox reads its pace and failure knobs here). */
  metadata: batchMetadata.optional(),
  /**
   * A free test run where the provider offers one (Bailian's batch-test-model): the file's first
   * requests rewritten to the test model and endpoint; `endpoint` stays the file's own.
   */
  dryRun: z.preprocess((v) => v === "true" || v === "on" || v === true, z.boolean()).optional(),
  /**
   * Start at this time instead of now (the launch form's "start at"; an ISO time with its zone):
   * the launch waits in the queue until then (lib/batches/queue.ts). A time past is now.
   */
  startAt: z.preprocess(
    emptyAsUndefined,
    z.coerce
      .date({ error: "Start at must be a date and time." })
      .refine((d) => d.getTime() <= Date.now() + MAX_START_DELAY_MS, "Start at most 30 days from now.")
      .optional(),
  ),
});
export type LaunchBatchInput = z.infer<typeof launchBatchInput>;

export const cancelBatchInput = z.object({ batchId: z.string().min(1) });
export type CancelBatchInput = z.infer<typeof cancelBatchInput>;

export const checkBatchNowInput = z.object({ batchId: z.string().min(1) });
export type CheckBatchNowInput = z.infer<typeof checkBatchNowInput>;

/** Launching a file over the provider's limits as several batches (one job): the launch form's fields. */
export const launchJobInput = launchBatchInput.omit({ dryRun: true });
export type LaunchJobInput = z.infer<typeof launchJobInput>;

/** How a file would be split for a connection, asked by the launch form before launching. */
export const planSplitInput = z.object({
  connectionId: z.string().min(1, "Choose a provider connection."),
  inputFileId: z.string().min(1, "Choose a file."),
  endpoint: z.string().min(1),
});
export type PlanSplitInput = z.infer<typeof planSplitInput>;

/** The launch form's check of a file on a connection, as soon as both are chosen (launch-check.ts). */
export const checkLaunchInput = z.object({
  connectionId: z.string().min(1, "Choose a provider connection."),
  inputFileId: z.string().min(1, "Choose a file."),
  endpoint: z.string().min(1),
  completionWindow: z.string().min(1).optional(),
  dryRun: launchBatchInput.shape.dryRun,
});
export type CheckLaunchInput = z.infer<typeof checkLaunchInput>;

export const jobInput = z.object({ jobId: z.string().min(1) });
export type JobInput = z.infer<typeof jobInput>;

export const queuedPartInput = z.object({ partId: z.string().min(1) });
export type QueuedPartInput = z.infer<typeof queuedPartInput>;
