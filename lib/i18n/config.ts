// The languages and themes a person can choose, and how a browser's first visit picks one. Read by
// the server (lib/i18n/request.ts) and the switches in the browser, so it imports nothing server-only.
export const LOCALES = ["en", "zh-CN"] as const;
export type Locale = (typeof LOCALES)[number];
export const DEFAULT_LOCALE: Locale = "en";
/** Each language named in itself, for the switch. */
export const LOCALE_NAMES: Record<Locale, string> = { en: "English", "zh-CN": "简体中文" };

export const THEMES = ["system", "light", "dark"] as const;
export type Theme = (typeof THEMES)[number];

/** Cookies a signed-out browser keeps its choice in; a signed-in user's row wins over them. */
export const LOCALE_COOKIE = "bb_locale";
export const THEME_COOKIE = "bb_theme";
/** The browser's time zone (IANA name), set by the browser itself so server-rendered times read as local. */
export const TIME_ZONE_COOKIE = "bb_tz";

/** The class on <html> that app/globals.css reads: none follows the system. */
export const themeClass = (theme: Theme) => (theme === "system" ? "" : theme);

export const isLocale = (v: unknown): v is Locale => typeof v === "string" && (LOCALES as readonly string[]).includes(v);
export const isTheme = (v: unknown): v is Theme => typeof v === "string" && (THEMES as readonly string[]).includes(v);

/** A valid IANA time zone name, or undefined (a cookie is the browser's word, not to be trusted). */
export function timeZoneOrUndefined(v: string | undefined): string | undefined {
  if (!v || v.length > 64) return undefined;
  try {
    new Intl.DateTimeFormat("en", { timeZone: v });
    return v;
  } catch {
    return undefined;
  }
}

/**
 * The language an Accept-Language header asks for first, among ours: any Chinese ("zh", "zh-CN",
 * "zh-Hans", even "zh-TW", for which Simplified reads better than English) picks zh-CN; English
 * or anything else picks the default.
 */
export function negotiateLocale(acceptLanguage: string | null | undefined): Locale {
  const wanted = (acceptLanguage ?? "")
    .split(",")
    .map((part, i) => {
      const [tag, ...params] = part.trim().split(";");
      const q = params.map((p) => p.trim()).find((p) => p.startsWith("q="));
      return { tag: tag.toLowerCase(), q: q ? Number(q.slice(2)) || 0 : 1, i };
    })
    .filter((w) => w.tag && w.q > 0)
    .sort((a, b) => b.q - a.q || a.i - b.i);
  for (const { tag } of wanted) {
    if (tag === "zh" || tag.startsWith("zh-")) return "zh-CN";
    if (tag === "en" || tag.startsWith("en-")) return "en";
  }
  return DEFAULT_LOCALE;
}
