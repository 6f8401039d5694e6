// Input of the retry action, shared by the retry dialog (client) and the server action.
// No server-only code here: the dialog imports this module too.
import { z } from "zod";

const flag = z.preprocess((v) => v === true || v === "true" || v === "on", z.boolean());

export const retryBatchInput = z
  .object({
    batchId: z.string().min(1),
    /** Requests that ran and failed (Result.succeeded false, other than expired/cancelled). */
    failed: flag.default(false),
    /** Requests without an answer: never answered, expired or cancelled before they ran. */
    missing: flag.default(false),
    /**
     * Only failed requests with these error codes ("" stands for "no code"). Absent: every code.
     * Applies to the failed ones only; the missing ones have no error of their own.
     */
    errorCodes: z.array(z.string().max(200)).max(100).optional(),
    connectionId: z.string().min(1, "Choose a provider connection."),
    /** Another model for the retried requests; empty keeps each request's own. */
    model: z.preprocess(
      (v) => (typeof v === "string" && v.trim() === "" ? undefined : typeof v === "string" ? v.trim() : v),
      z.string().max(200, "At most 200 characters.").optional(),
    ),
    completionWindow: z.string().min(1, "Choose a completion window."),
    /** Made once per dialog (a UUID): a double click or a retried request makes one retry, not two. */
    idempotencyKey: z.string().min(8, "Missing retry key; reload the page.").max(100),
  })
  .refine((v) => v.failed || v.missing, { message: "Choose what to retry: the failed requests, the unfinished ones, or both.", path: ["failed"] });
export type RetryBatchInput = z.infer<typeof retryBatchInput>;
