// Previous / next under a table, with where we are. Pages are links (or buttons) so that the page
// number lives in the URL.
import Link from "next/link";
import { useTranslations } from "next-intl";
import { buttonClass } from "@/components/ui/button";
import { num } from "./fetch-json";

type Target = { href: (page: number) => string; onPage?: never } | { onPage: (page: number) => void; href?: never };

export function Pager({ page, pageCount, summary, ...target }: { page: number; pageCount: number; summary?: string } & Target) {
  const t = useTranslations("batches.common");
  if (pageCount <= 1 && !summary) return null;
  const go = (p: number, label: string, disabled: boolean) => {
    const cls = buttonClass("secondary", "sm");
    if (disabled) {
      return (
        <button type="button" className={cls} disabled>
          {label}
        </button>
      );
    }
    return target.href ? (
      <Link href={target.href(p)} className={cls}>
        {label}
      </Link>
    ) : (
      <button type="button" className={cls} onClick={() => target.onPage!(p)}>
        {label}
      </button>
    );
  };
  return (
    <div className="flex items-center justify-between gap-4 border-t border-slate-100 px-4 py-3 text-sm text-slate-500">
      <span>{summary}</span>
      {pageCount > 1 && (
        <div className="flex items-center gap-3">
          <span className="tabular-nums">
            {t("pageOf", { page: num(page), pages: num(pageCount) })}
          </span>
          {go(page - 1, t("previous"), page <= 1)}
          {go(page + 1, t("next"), page >= pageCount)}
        </div>
      )}
    </div>
  );
}
