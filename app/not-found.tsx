import Link from "next/link";
import { useTranslations } from "next-intl";

export default function NotFound() {
  const t = useTranslations("errors.notFound");
  return (
    <div className="grid min-h-full place-items-center p-8">
      <div className="text-center">
        <p className="text-sm font-semibold text-brand-600">404</p>
        <h1 className="mt-1 text-xl font-semibold text-slate-900">{t("title")}</h1>
        <p className="mt-1 text-sm text-slate-500">{t("body")}</p>
        <Link href="/batches" className="mt-4 inline-block text-sm font-medium text-brand-600 hover:underline">
          {t("back")}
        </Link>
      </div>
    </div>
  );
}
