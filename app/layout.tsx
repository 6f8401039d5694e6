// The root layout: the document, the app's title and icons, and rendering per request (for the
// Content-Security-Policy nonce of proxy.ts).
import type { Metadata } from "next";
import { connection } from "next/server";
import { NextIntlClientProvider } from "next-intl";
import { preferences } from "@/lib/i18n/preferences";
import { themeClass } from "@/lib/i18n/config";
import { TimeZoneReporter } from "@/components/layout/preferences";
import "./globals.css";

export const metadata: Metadata = {
  title: { default: "Batchboard", template: "%s · Batchboard" },
  description: "Run LLM batch inference across providers, with your team.",
  // One mark: public/logo.svg is the source (also the logo of both layouts); public/favicon.ico is
  // that drawing at 16, 32 and 48 px, for browsers and tools that ask for /favicon.ico.
  icons: { icon: [{ url: "/favicon.ico", sizes: "16x16 32x32 48x48" }, { url: "/logo.svg", type: "image/svg+xml" }] },
};

export default async function RootLayout({ children }: { children: React.ReactNode }) {
  // Every page renders per request, so each carries its request's CSP nonce (proxy.ts); a page
  // prerendered at build time would have scripts without it, and the browser would block them.
  await connection();
  // The language and theme are chosen per user (lib/i18n): the theme is a class on <html> rendered
  // here, so a dark page never flashes light; "system" leaves it to prefers-color-scheme.
  const { locale, theme } = await preferences();
  return (
    <html lang={locale} className={themeClass(theme) || undefined}>
      <body className="font-sans">
        <NextIntlClientProvider>
          <TimeZoneReporter />
          {children}
        </NextIntlClientProvider>
      </body>
    </html>
  );
}
