import { useTranslations } from "next-intl";
import { Skeleton } from "@/components/ui/card";

export default function Loading() {
  const t = useTranslations("launch.page");
  return (
    <div aria-busy="true" aria-label={t("loading")}>
      <div className="mb-6 space-y-2">
        <Skeleton className="h-7 w-40" />
        <Skeleton className="h-4 w-96 max-w-full" />
      </div>
      <div className="max-w-2xl space-y-5 rounded-lg bg-white p-6 ring-1 ring-slate-200">
        {Array.from({ length: 5 }, (_, i) => (
          <div key={i} className="space-y-2">
            <Skeleton className="h-4 w-28" />
            <Skeleton className="h-9 w-full" />
          </div>
        ))}
      </div>
    </div>
  );
}
