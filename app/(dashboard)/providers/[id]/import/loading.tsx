import { useTranslations } from "next-intl";
import { Skeleton } from "@/components/ui/card";

// Listing walks every page of the provider's history: this shows while it does.
export default function Loading() {
  const t = useTranslations("providers.import");
  return (
    <div aria-busy="true" aria-label={t("loadingLabel")}>
      <Skeleton className="h-4 w-24" />
      <div className="mb-6 mt-3 space-y-2">
        <Skeleton className="h-7 w-72" />
        <Skeleton className="h-4 w-[32rem] max-w-full" />
      </div>
      <p className="mb-3 text-sm text-slate-500">{t("loading")}</p>
      <div className="space-y-px overflow-hidden rounded-lg ring-1 ring-slate-200">
        {Array.from({ length: 8 }, (_, i) => (
          <Skeleton key={i} className="h-12 w-full rounded-none" />
        ))}
      </div>
    </div>
  );
}
