import type { Metadata } from "next";
import "./globals.css";

export const metadata: Metadata = {
  title: { default: "Batchboard", template: "%s · Batchboard" },
  description: "Run LLM batch inference across providers, with your team.",
};

export default function RootLayout({ children }: { children: React.ReactNode }) {
  return (
    <html lang="en">
      <body className="font-sans">{children}</body>
    </html>
  );
}
