import { useTranslations } from "next-intl";
import { Skeleton } from "@/components/ui/card";

export default function Loading() {
  const t = useTranslations("batches.list");
  return (
    <div aria-busy="true" aria-label={t("loading")}>
      <div className="mb-6 flex items-end justify-between">
        <div className="space-y-2">
          <Skeleton className="h-7 w-32" />
          <Skeleton className="h-4 w-72" />
        </div>
        <Skeleton className="h-9 w-28" />
      </div>
      <div className="space-y-px overflow-hidden rounded-lg ring-1 ring-slate-200">
        {Array.from({ length: 8 }, (_, i) => (
          <Skeleton key={i} className="h-14 w-full rounded-none" />
        ))}
      </div>
    </div>
  );
}
