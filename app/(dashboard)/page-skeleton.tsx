// The instant skeleton of the dashboard's pages that cannot answer "not found". It is not the
// dashboard's own loading.tsx: a loading boundary streams the page after a 200, so a page below it
// that calls notFound() would answer 200 too. Detail pages ([id]) and the admin-only Audit page
// therefore have none; each other page opts in with a one-line loading.tsx. A detail page shows it
// as the fallback of a <Suspense> of its own, below its notFound() (loading-boundaries.test.ts).
import { useTranslations } from "next-intl";
import { Skeleton } from "@/components/ui/card";

export function PageSkeleton() {
  const t = useTranslations("batches");
  return (
    <div className="space-y-4" aria-busy="true" aria-label={t("loadingPage")}>
      <Skeleton className="h-7 w-48" />
      <Skeleton className="h-4 w-80" />
      <Skeleton className="mt-6 h-64 w-full" />
    </div>
  );
}
