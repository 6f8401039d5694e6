// The inputs of the provider files page's actions (provider-files.action.ts).
import { z } from "zod";

export const providerFileInput = z.object({ connectionId: z.string().min(1), fileId: z.string().min(1).max(500) });
export type ProviderFileInput = z.infer<typeof providerFileInput>;

export const connectionFilesInput = z.object({ connectionId: z.string().min(1) });
export type ConnectionFilesInput = z.infer<typeof connectionFilesInput>;

export const fileSettingsInput = z.object({
  connectionId: z.string().min(1),
  // A checkbox: present and "on" when ticked.
  deleteInputFiles: z.preprocess((v) => v === true || v === "on" || v === "true", z.boolean()),
  // Empty: files keep the provider's own default.
  fileExpiryDays: z.preprocess((v) => (v === "" || v === undefined || v === null ? null : v), z.coerce.number().int("Whole days").nullable()),
});
export type FileSettingsInput = z.infer<typeof fileSettingsInput>;
