// A provider's label in the reader's language: the labels that are the app's own words (the built-in
// Sandbox, a custom OpenAI-compatible service) are worded from messages; a provider's name stays as
// it is. The server sends the English label (lib/providers/*/profile.ts); pages word it here.
import { useTranslations } from "next-intl";
import { openaiCompatibleProfile } from "@/lib/providers/openai-compatible/profile";
import { sandboxProfile } from "@/lib/providers/sandbox/profile";

export function useProviderLabel(): (label: string) => string {
  const t = useTranslations("providers");
  const own: [string, string][] = [
    [sandboxProfile.label, t("sandboxLabel")],
    [openaiCompatibleProfile.label, t("customCompatibleLabel")],
  ];
  return (label) => own.reduce((s, [english, words]) => (s.includes(english) ? s.replace(english, words) : s), label);
}
