// Anthropic's API behind another URL: a gateway or proxy in front of Anthropic, or the sandbox's
// imitation (/api/sandbox/anthropic), so the whole Anthropic journey can run without a key.
import { anthropicProfile } from "@/lib/providers/anthropic/profile";
import type { ProviderProfile } from "@/lib/providers/profile";

export const anthropicCompatibleProfile: ProviderProfile = {
  ...anthropicProfile,
  kind: "anthropic-compatible",
  label: "Custom Anthropic-compatible",
  baseUrls: [],
  baseUrlHint: "The base URL without /v1, like https://api.anthropic.com (Batchboard adds /v1/messages/batches).",
  custom: true,
};
