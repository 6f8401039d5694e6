// Marks a dry run: a free test of a file's first requests on the provider's test model, not real answers.
import { useTranslations } from "next-intl";

export function DryRunBadge({ dryRun }: { dryRun: boolean }) {
  const t = useTranslations("batches.badges");
  if (!dryRun) return null;
  return (
    <span
      title={t("dryRunTitle")}
      className="inline-flex shrink-0 items-center rounded-full bg-sky-50 px-2 py-0.5 text-xs font-medium text-sky-700 ring-1 ring-inset ring-sky-200"
    >
      {t("dryRun")}
    </span>
  );
}
