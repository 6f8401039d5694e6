// What a page shows when its address holds a parameter it cannot use (lib/http/params.ts): a NUL,
// a page number out of range, a position that is not ours. The message names the parameter and its
// range, and a link opens the page without it. Not the error page: nothing broke on our side.
import Link from "next/link";
import { useTranslations } from "next-intl";
import { buttonClass } from "./button";
import { PageHeader } from "./card";
import { cn } from "./cn";

export function BadAddress({ title, message, href, label }: { title: string; message: string; href: string; label: string }) {
  const t = useTranslations("ui.badAddress");
  return (
    <>
      <PageHeader title={title} />
      <div role="alert" className="rounded-md bg-amber-50 px-4 py-4 text-sm text-amber-900 ring-1 ring-inset ring-amber-200">
        <p className="font-semibold">{t("title")}</p>
        <p className="mt-1 break-words">{message}</p>
        <Link href={href} className={cn(buttonClass("secondary", "sm"), "mt-3")}>
          {t("open", { label })}
        </Link>
      </div>
    </>
  );
}
