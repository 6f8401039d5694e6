import { useTranslations } from "next-intl";
import { Skeleton } from "@/components/ui/card";

export default function FileLoading() {
  const t = useTranslations("files");
  return (
    <div aria-busy="true" aria-label={t("loadingFile")}>
      <Skeleton className="h-4 w-16" />
      <Skeleton className="mt-4 h-7 w-72" />
      <Skeleton className="mt-2 h-4 w-96" />
      <Skeleton className="mt-6 h-24 w-full" />
      <div className="mt-6 space-y-2">
        {Array.from({ length: 8 }, (_, i) => (
          <Skeleton key={i} className="h-10 w-full" />
        ))}
      </div>
    </div>
  );
}
