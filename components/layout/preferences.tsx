"use client";
// The language and theme switches (lib/i18n/preferences.action.ts), and the one-time report of the
// browser's time zone so server-rendered times are local. The theme shows at once (the class on
// <html>, which app/globals.css reads); the server remembers it for the next page.
import { useEffect, useTransition } from "react";
import { useRouter } from "next/navigation";
import { useLocale, useTimeZone, useTranslations } from "next-intl";
import { LOCALE_NAMES, LOCALES, THEMES, type Theme } from "@/lib/i18n/config";
import { setLocaleAction, setThemeAction, setTimeZoneAction } from "@/lib/i18n/preferences.action";

const form = (name: string, value: string) => {
  const f = new FormData();
  f.set(name, value);
  return f;
};

/** Tells the server the browser's time zone when it differs from what the page was rendered in. */
export function TimeZoneReporter() {
  const rendered = useTimeZone();
  const router = useRouter();
  useEffect(() => {
    const local = Intl.DateTimeFormat().resolvedOptions().timeZone;
    if (local && local !== rendered) void setTimeZoneAction(form("timeZone", local)).then(() => router.refresh());
  }, [rendered, router]);
  return null;
}

const selectClass = "rounded-md border-0 bg-transparent py-1 pl-2 pr-7 text-xs font-medium ring-1 ring-inset focus-visible:ring-2";

/** A select of the languages, each named in itself. */
export function LanguageSwitch({ className = "text-slate-300 ring-slate-700" }: { className?: string }) {
  const t = useTranslations("preferences");
  const locale = useLocale();
  const [pending, start] = useTransition();
  return (
    <select
      aria-label={t("language")}
      value={locale}
      disabled={pending}
      onChange={(e) => start(async () => void (await setLocaleAction(form("locale", e.target.value))))}
      className={`${selectClass} ${className}`}
    >
      {LOCALES.map((l) => (
        <option key={l} value={l} lang={l}>
          {LOCALE_NAMES[l]}
        </option>
      ))}
    </select>
  );
}

/** A select of System / Light / Dark. */
export function ThemeSwitch({ current, className = "text-slate-300 ring-slate-700" }: { current: Theme; className?: string }) {
  const t = useTranslations("preferences");
  const [pending, start] = useTransition();
  return (
    <select
      aria-label={t("theme")}
      defaultValue={current}
      disabled={pending}
      onChange={(e) => {
        const theme = e.target.value as Theme;
        applyTheme(theme);
        start(async () => void (await setThemeAction(form("theme", theme))));
      }}
      className={`${selectClass} ${className}`}
    >
      {THEMES.map((th) => (
        <option key={th} value={th}>
          {t(`themes.${th}`)}
        </option>
      ))}
    </select>
  );
}

function applyTheme(theme: Theme) {
  const html = document.documentElement;
  html.classList.remove("light", "dark");
  if (theme !== "system") html.classList.add(theme);
}
