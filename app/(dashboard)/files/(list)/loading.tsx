import { useTranslations } from "next-intl";
import { Skeleton } from "@/components/ui/card";

export default function FilesLoading() {
  const t = useTranslations("files");
  return (
    <div aria-busy="true" aria-label={t("loading")}>
      <Skeleton className="h-7 w-28" />
      <Skeleton className="mt-2 h-4 w-96 max-w-full" />
      <Skeleton className="mt-6 h-52 w-full" />
      <div className="mt-8 space-y-2">
        {Array.from({ length: 6 }, (_, i) => (
          <Skeleton key={i} className="h-11 w-full" />
        ))}
      </div>
    </div>
  );
}
