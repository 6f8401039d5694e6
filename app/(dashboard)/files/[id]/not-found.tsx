import Link from "next/link";
import { useTranslations } from "next-intl";
import { buttonClass } from "@/components/ui/button";

export default function FileNotFound() {
  const t = useTranslations("files.notFound");
  return (
    <div className="rounded-lg bg-white px-6 py-14 text-center shadow-xs ring-1 ring-slate-200">
      <p className="text-sm font-semibold text-brand-600">404</p>
      <h1 className="mt-1 text-lg font-semibold text-slate-900">{t("title")}</h1>
      <p className="mx-auto mt-1 max-w-sm text-sm text-slate-500">{t("body")}</p>
      <Link href="/files" className={`${buttonClass("secondary")} mt-5`}>
        {t("back")}
      </Link>
    </div>
  );
}
