// Which language, theme and time zone this request renders in: the signed-in user's choice, else the
// browser's cookie, else what the browser asks for (Accept-Language; the system's theme).
import "server-only";
import { cache } from "react";
import { cookies, headers } from "next/headers";
import { currentUser } from "@/lib/auth/context";
import { isLocale, isTheme, LOCALE_COOKIE, negotiateLocale, THEME_COOKIE, TIME_ZONE_COOKIE, timeZoneOrUndefined, type Locale, type Theme } from "./config";

export interface Preferences {
  locale: Locale;
  theme: Theme;
  /** The browser's IANA time zone once it has told us (components/layout/preferences.tsx), else UTC. */
  timeZone: string;
}

export const preferences = cache(async (): Promise<Preferences> => {
  const [jar, user] = await Promise.all([cookies(), currentUser().catch(() => null)]);
  const cookieLocale = jar.get(LOCALE_COOKIE)?.value;
  const cookieTheme = jar.get(THEME_COOKIE)?.value;
  const locale = isLocale(user?.locale) ? user.locale : isLocale(cookieLocale) ? cookieLocale : negotiateLocale((await headers()).get("accept-language"));
  const theme = isTheme(user?.theme) ? user.theme : isTheme(cookieTheme) ? cookieTheme : "system";
  return { locale, theme, timeZone: timeZoneOrUndefined(jar.get(TIME_ZONE_COOKIE)?.value) ?? "UTC" };
});
