// The webhook forms' inputs (browser-safe: the form reads the same rules).
import { z } from "zod";
import { WEBHOOK_EVENT_TYPES } from "./events";
import { FORMATS } from "./formats";

const eventList = z.preprocess(
  (v) => (typeof v === "string" ? v.split(",").filter(Boolean) : v),
  z.array(z.enum(WEBHOOK_EVENT_TYPES as [string, ...string[]])).min(1, "Choose at least one event."),
);

export const addWebhookInput = z.object({
  name: z.string().trim().min(1, "Give the webhook a name.").max(80, "At most 80 characters."),
  url: z.string().trim().min(1, "Enter the webhook's URL.").max(2000, "The URL is longer than 2,000 characters."),
  format: z.enum(FORMATS),
  events: eventList,
  /** The bot's signing secret (Feishu, DingTalk); Standard Webhooks secrets are generated. */
  secret: z.preprocess((v) => (v === "" ? undefined : v), z.string().trim().max(200, "At most 200 characters.").optional()),
});
export type AddWebhookInput = z.infer<typeof addWebhookInput>;

export const webhookIdInput = z.object({ webhookId: z.string().min(1) });
export const setWebhookEnabledInput = z.object({ webhookId: z.string().min(1), enabled: z.enum(["true", "false"]).transform((v) => v === "true") });
