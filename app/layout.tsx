import type { Metadata } from "next";
import { connection } from "next/server";
import "./globals.css";

export const metadata: Metadata = {
  title: { default: "Batchboard", template: "%s · Batchboard" },
  description: "Run LLM batch inference across providers, with your team.",
};

export default async function RootLayout({ children }: { children: React.ReactNode }) {
  // Every page renders per request, so each carries its request's CSP nonce (proxy.ts); a page
  // prerendered at build time would have scripts without it, and the browser would block them.
  await connection();
  return (
    <html lang="en">
      <body className="font-sans">{children}</body>
    </html>
  );
}
