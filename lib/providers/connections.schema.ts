// Inputs of the provider-connection forms. No server-only imports: the forms reuse them.
import { z } from "zod";
import { baseUrlSyntaxProblem } from "@/lib/net/base-url";

const name = z
  .string({ error: "Name the connection." })
  .trim()
  .min(1, "Name the connection.")
  .max(60, "Use at most 60 characters.");

const apiKey = z
  .string({ error: "Paste the API key." })
  .trim()
  .min(1, "Paste the API key.")
  .min(8, "That key is too short to be an API key.")
  .max(500, "That key is too long to be an API key.")
  .refine((k) => !/\s/.test(k), "An API key has no spaces or line breaks. Check what you pasted.");

const baseUrl = z
  .string({ error: "Enter the base URL." })
  .trim()
  .min(1, "Enter the base URL, like https://api.example.com/v1.")
  .max(500, "That URL is too long.")
  .superRefine((u, ctx) => {
    const problem = baseUrlSyntaxProblem(u);
    if (problem) ctx.addIssue({ code: "custom", message: problem });
  })
  .transform((u) => u.replace(/\/+$/, ""));

const kind = z.string({ error: "Choose a provider." }).min(1, "Choose a provider.");

/**
 * "provider": the provider's own service, with the team's key. "sandbox": Batchboard's built-in
 * imitation of that provider (no key, no cost): the same quirks, to try a provider before paying.
 */
const addConnectionTargets = z.discriminatedUnion("target", [
  z.object({ target: z.literal("provider"), kind, name, baseUrl, apiKey }),
  z.object({ target: z.literal("sandbox"), kind, name }),
]);
/** The form's fields; without a target, the provider's service. */
export const addConnectionInput = z.preprocess(
  (v) => (v && typeof v === "object" && !("target" in v) ? { ...v, target: "provider" } : v),
  addConnectionTargets,
);
export type AddConnectionInput = z.infer<typeof addConnectionTargets>;

export const connectionIdInput = z.object({ connectionId: z.string().min(1) });

export const renameConnectionInput = z.object({ connectionId: z.string().min(1), name });
export type RenameConnectionInput = z.infer<typeof renameConnectionInput>;

export const replaceKeyInput = z.object({ connectionId: z.string().min(1), apiKey });
export type ReplaceKeyInput = z.infer<typeof replaceKeyInput>;
