import { useTranslations } from "next-intl";
import { Skeleton } from "@/components/ui/card";

export default function Loading() {
  const t = useTranslations("compare");
  return (
    <div aria-busy="true" aria-label={t("loading")}>
      <div className="mb-6 space-y-2">
        <Skeleton className="h-7 w-48" />
        <Skeleton className="h-4 w-96 max-w-full" />
      </div>
      <Skeleton className="mb-6 h-20 w-full" />
      <div className="mb-6 grid gap-4 md:grid-cols-4">
        {Array.from({ length: 4 }, (_, i) => (
          <Skeleton key={i} className="h-32" />
        ))}
      </div>
      <div className="space-y-px overflow-hidden rounded-lg ring-1 ring-slate-200">
        {Array.from({ length: 6 }, (_, i) => (
          <Skeleton key={i} className="h-20 w-full rounded-none" />
        ))}
      </div>
    </div>
  );
}
