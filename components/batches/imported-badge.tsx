// Marks a batch brought in from the provider's own history rather than launched here.
import { useTranslations } from "next-intl";

export function ImportedBadge({ at }: { at: string | null }) {
  const t = useTranslations("batches.badges");
  if (!at) return null;
  return (
    <span
      title={t("importedTitle")}
      className="inline-flex shrink-0 items-center rounded-full bg-violet-50 px-2 py-0.5 text-xs font-medium text-violet-700 ring-1 ring-inset ring-violet-200"
    >
      {t("imported")}
    </span>
  );
}
