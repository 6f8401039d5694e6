"use client";
import { useTranslations } from "next-intl";
import { Button } from "@/components/ui/button";

export default function DashboardError({ reset }: { error: Error; reset: () => void }) {
  const t = useTranslations("errors.page");
  return (
    <div className="rounded-lg bg-white p-8 text-center shadow-xs ring-1 ring-slate-200">
      <h2 className="text-base font-semibold text-slate-900">{t("title")}</h2>
      <p className="mt-1 text-sm text-slate-500">{t("body")}</p>
      <Button className="mt-4" onClick={reset}>
        {t("retry")}
      </Button>
    </div>
  );
}
