// A provider's label in the reader's language: the built-in Sandbox's label is the app's own words
// ("Sandbox (built in)", "沙盒（内置）"); a provider's name stays as it is. The server sends the
// English label (lib/providers/*/profile.ts); pages word it here.
import { useTranslations } from "next-intl";
import { sandboxProfile } from "@/lib/providers/sandbox/profile";

export function useProviderLabel(): (label: string) => string {
  const t = useTranslations("providers");
  return (label) => (label.includes(sandboxProfile.label) ? label.replace(sandboxProfile.label, t("sandboxLabel")) : label);
}
