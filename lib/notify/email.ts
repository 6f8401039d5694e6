// Email over SMTP with nodemailer, from the SMTP_* settings (README). The SMTP server is the
// operator's, set in the environment, not an address a user typed: it does not go through the
// outbound guard. One transport per process, made again when the settings change (tests).
import "server-only";
import nodemailer, { type Transporter } from "nodemailer";
import { settings } from "@/lib/env";

let cached: { key: string; transport: Transporter } | undefined;

function transport(): Transporter {
  const s = settings();
  if (!s.SMTP_HOST) throw new Error("SMTP_HOST is not set");
  const key = JSON.stringify([s.SMTP_HOST, s.SMTP_PORT, s.SMTP_USER, s.SMTP_PASS, s.SMTP_TLS]);
  if (cached?.key === key) return cached.transport;
  cached?.transport.close();
  const made = nodemailer.createTransport({
    host: s.SMTP_HOST,
    port: s.SMTP_PORT,
    secure: s.SMTP_TLS === "tls",
    requireTLS: s.SMTP_TLS === "starttls",
    ignoreTLS: s.SMTP_TLS === "none",
    auth: s.SMTP_USER ? { user: s.SMTP_USER, pass: s.SMTP_PASS } : undefined,
    connectionTimeout: 15_000,
    greetingTimeout: 15_000,
    socketTimeout: 30_000,
  });
  cached = { key, transport: made };
  return made;
}

export interface Email {
  to: string;
  subject: string;
  text: string;
  html: string;
  /** Our id for it: retries of one delivery carry the same Message-ID. */
  id: string;
}

export async function sendEmail(e: Email): Promise<void> {
  const s = settings();
  const domain = (s.SMTP_FROM?.match(/@([^>\s]+)/)?.[1] ?? "batchboard.local").toLowerCase();
  await transport().sendMail({ from: s.SMTP_FROM, to: e.to, subject: e.subject, text: e.text, html: e.html, messageId: `<${e.id}@${domain}>` });
}
