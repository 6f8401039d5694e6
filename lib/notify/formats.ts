// How one event becomes one HTTP request to a webhook, per format: Standard Webhooks (JSON, signed
// with webhook-id / webhook-timestamp / webhook-signature), or a chat bot's incoming webhook (Slack,
// Feishu/Lark, DingTalk, WeCom) with the signing each of them documents. Pure: no I/O, no clock
// (the caller passes the time), so each format is tested against its receiver's own rules.
import crypto from "node:crypto";
import { baseUrlSyntaxProblem } from "@/lib/net/base-url";

export const FORMATS = ["standard", "slack", "feishu", "dingtalk", "wecom"] as const;
export type Format = (typeof FORMATS)[number];

export const FORMAT_INFO: Record<Format, { label: string; secret: "generated" | "optional" | "none"; hint: string }> = {
  standard: { label: "Standard Webhooks (JSON)", secret: "generated", hint: "Signed per standardwebhooks.com: verify webhook-signature with the whsec_ secret shown once." },
  slack: { label: "Slack", secret: "none", hint: "A Slack incoming webhook URL (https://hooks.slack.com/services/…). The URL is the secret." },
  feishu: { label: "Feishu / Lark", secret: "optional", hint: "A custom bot's webhook URL; paste the bot's signing secret if \"Signature verification\" is on." },
  dingtalk: { label: "DingTalk", secret: "optional", hint: "A custom robot's webhook URL (…/robot/send?access_token=…); paste its SEC… secret if \"Sign\" is on." },
  wecom: { label: "WeCom", secret: "none", hint: "A group robot's webhook URL (…/cgi-bin/webhook/send?key=…). The URL is the secret." },
};

/** What a webhook message says, from the event row. */
export interface Message {
  /** Stable across retries of one delivery: the receiver's idempotency key (webhook-id). */
  id: string;
  type: string;
  title: string;
  body: string;
  /** Absolute when PUBLIC_URL is set. */
  link: string | null;
  data: unknown;
  createdAt: Date;
}

export interface OutgoingRequest {
  url: string;
  headers: Record<string, string>;
  body: string;
}

/** A new Standard Webhooks secret: "whsec_" and 32 random bytes in base64. */
export function newStandardSecret(): string {
  return `whsec_${crypto.randomBytes(32).toString("base64")}`;
}

/** v1 signature of Standard Webhooks: HMAC-SHA256 over "id.timestamp.body" with the secret's bytes, in base64. */
export function standardSignature(secret: string, id: string, timestampSec: number, body: string): string {
  const key = Buffer.from(secret.replace(/^whsec_/, ""), "base64");
  return `v1,${crypto.createHmac("sha256", key).update(`${id}.${timestampSec}.${body}`).digest("base64")}`;
}

/** Feishu/Lark: sign = base64(HMAC-SHA256 keyed with "timestamp\nsecret" over an empty message); timestamp in seconds. */
export function feishuSign(secret: string, timestampSec: number): string {
  return crypto.createHmac("sha256", `${timestampSec}\n${secret}`).update("").digest("base64");
}

/** DingTalk: sign = base64(HMAC-SHA256 keyed with the secret over "timestamp\nsecret"); timestamp in ms. URL-encoded by the caller's URLSearchParams. */
export function dingtalkSign(secret: string, timestampMs: number): string {
  return crypto.createHmac("sha256", secret).update(`${timestampMs}\n${secret}`).digest("base64");
}

function plain(m: Message) {
  return `${m.title}\n${m.body}${m.link ? `\n${m.link}` : ""}`;
}

const json = { "content-type": "application/json", "user-agent": "Batchboard-Webhooks/1" };

/** The request for one message in a webhook's format; `now` is the send time. */
export function buildRequest(format: Format, url: string, secret: string | null, m: Message, now: Date): OutgoingRequest {
  const sec = Math.floor(now.getTime() / 1000);
  switch (format) {
    case "standard": {
      if (!secret) throw new Error("a Standard Webhooks endpoint needs its secret");
      const body = JSON.stringify({ type: m.type, timestamp: m.createdAt.toISOString(), data: { title: m.title, body: m.body, link: m.link, ...(m.data as object) } });
      return { url, body, headers: { ...json, "webhook-id": m.id, "webhook-timestamp": String(sec), "webhook-signature": standardSignature(secret, m.id, sec, body) } };
    }
    case "slack": {
      const link = m.link ? `\n<${m.link}|Open in Batchboard>` : "";
      return { url, headers: json, body: JSON.stringify({ text: `*${m.title}*\n${m.body}${link}` }) };
    }
    case "feishu": {
      const signed = secret ? { timestamp: String(sec), sign: feishuSign(secret, sec) } : {};
      return { url, headers: json, body: JSON.stringify({ ...signed, msg_type: "text", content: { text: plain(m) } }) };
    }
    case "dingtalk": {
      const u = new URL(url);
      if (secret) {
        const ms = now.getTime();
        u.searchParams.set("timestamp", String(ms));
        u.searchParams.set("sign", dingtalkSign(secret, ms));
      }
      return { url: u.toString(), headers: json, body: JSON.stringify({ msgtype: "text", text: { content: plain(m) } }) };
    }
    case "wecom":
      return { url, headers: json, body: JSON.stringify({ msgtype: "text", text: { content: plain(m) } }) };
  }
}

/**
 * Whether the receiver took it. Chat bots answer 200 with an error code in the body on a bad
 * signature or payload (Feishu `code`, DingTalk and WeCom `errcode`): that is a failure too.
 */
export function judgeResponse(format: Format, status: number, text: string): string | null {
  if (status < 200 || status >= 300) return `HTTP ${status}${text ? `: ${text.slice(0, 200)}` : ""}`;
  if (format === "feishu" || format === "dingtalk" || format === "wecom") {
    try {
      const j = JSON.parse(text) as { code?: number; StatusCode?: number; msg?: string; errcode?: number; errmsg?: string };
      const code = j.code ?? j.StatusCode ?? j.errcode;
      if (code !== undefined && code !== 0) return `the receiver answered code ${code}${j.msg ?? j.errmsg ? `: ${(j.msg ?? j.errmsg)!.slice(0, 200)}` : ""}`;
    } catch {
      // Not JSON: the 2xx stands.
    }
  }
  return null;
}

/** A webhook URL a person typed: the message says what to change, or null. Private addresses are judged when connected to (the outbound guard). */
export function webhookUrlSyntaxProblem(input: string): string | null {
  if (input.length > 2000) return "The URL is longer than 2,000 characters.";
  if (input.includes("#")) return "Leave the #fragment out of the URL.";
  // The rest as a provider's base URL (http(s), a host, no user:password@), but with the ?query
  // that DingTalk's and WeCom's URLs carry.
  return baseUrlSyntaxProblem(input.split("?")[0]);
}

/** What the page shows of a URL that is a credential: its origin and the last 4 characters. */
export function urlHint(url: string): string {
  const u = new URL(url);
  return `${u.origin}/…${url.slice(-4)}`;
}
