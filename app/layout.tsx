// The root layout: the document, the app's title and icons, the member's theme, and rendering per
// request (for the Content-Security-Policy nonce of proxy.ts).
import type { Metadata } from "next";
import { cookies } from "next/headers";
import { connection } from "next/server";
import { THEME_COOKIE, parseTheme } from "@/components/layout/theme";
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
  // The theme is on <html> from the first byte (no flash): "dark" or "light" as chosen, none for
  // System, where app/globals.css follows prefers-color-scheme.
  const theme = parseTheme((await cookies()).get(THEME_COOKIE)?.value);
  return (
    <html lang="en" className={theme === "system" ? undefined : theme}>
      <body className="font-sans">{children}</body>
    </html>
  );
}
