// next-intl's per-request configuration (named in next.config.mjs): the language and time zone of
// lib/i18n/preferences.ts, and that language's messages (messages/<locale>.json).
import { getRequestConfig } from "next-intl/server";
import { preferences } from "./preferences";

export default getRequestConfig(async () => {
  const { locale, timeZone } = await preferences();
  return {
    locale,
    timeZone,
    messages: (await import(`../../messages/${locale}.json`)).default,
  };
});
