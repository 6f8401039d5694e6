"use server";
// The language and theme switches: a cookie for this browser, and the signed-in user's row, so the
// choice follows them to every browser they sign in on. Signed-out visitors (the sign-in page) get
// the cookie only.
import { cookies } from "next/headers";
import { db } from "@/lib/db/client";
import { currentUser } from "@/lib/auth/context";
import { isLocale, isTheme, LOCALE_COOKIE, THEME_COOKIE, TIME_ZONE_COOKIE, timeZoneOrUndefined } from "./config";

const YEAR = 365 * 24 * 3600;
const cookie = { path: "/", maxAge: YEAR, sameSite: "lax" as const, httpOnly: true };

async function remember(name: string, field: "locale" | "theme", value: string) {
  (await cookies()).set(name, value, cookie);
  const user = await currentUser();
  if (user) await (await db()).user.update({ where: { id: user.id }, data: { [field]: value } });
}

type Done = { ok: boolean };

/** Switches the language; a value that is not one of ours changes nothing. */
export async function setLocaleAction(formData: FormData): Promise<Done> {
  const locale = formData.get("locale");
  if (!isLocale(locale)) return { ok: false };
  await remember(LOCALE_COOKIE, "locale", locale);
  return { ok: true };
}

/** Switches the theme: system, light or dark. */
export async function setThemeAction(formData: FormData): Promise<Done> {
  const theme = formData.get("theme");
  if (!isTheme(theme)) return { ok: false };
  await remember(THEME_COOKIE, "theme", theme);
  return { ok: true };
}

/** The browser's time zone, so times rendered on the server read as the reader's local time. */
export async function setTimeZoneAction(formData: FormData): Promise<Done> {
  const tz = timeZoneOrUndefined(String(formData.get("timeZone") ?? ""));
  if (!tz) return { ok: false };
  (await cookies()).set(TIME_ZONE_COOKIE, tz, cookie);
  return { ok: true };
}
