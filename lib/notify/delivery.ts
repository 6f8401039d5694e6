// The delivery worker: sends the outbox (Delivery rows) made by notify(), emails and webhook calls.
// Durable: a row waits in the database until it is delivered or given up, across restarts. One
// instance at a time: a due row is claimed with a lease in one UPDATE … FOR UPDATE SKIP LOCKED (as
// the sync worker claims batches), and every write after the attempt is conditional on still
// holding it, so several instances never send the same row at once. A failed attempt is retried on
// the Standard Webhooks schedule (5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 10 h: eight attempts over about
// 27 hours); the webhook-id stays the delivery's id, so a receiver can drop a repeat. A webhook whose
// deliveries failed from the first attempt of one until its last (about a day without a single
// success) is disabled, and the team's admins are told in the app and by email.
import "server-only";
import { db, type Db } from "@/lib/db/client";
import { decryptSecret } from "@/lib/crypto";
import { settings } from "@/lib/env";
import { log } from "@/lib/log";
import { isOutboundRefused, outboundFetch } from "@/lib/net/outbound";
import { redact } from "@/lib/redact";
import { startTickLoop, workerOwner, type Worker, type WorkerOptions } from "@/lib/server/tick-loop";
import { sendEmail } from "./email";
import { emailWords } from "./email-words";
import { webhookDisabledEvent } from "./events";
import { buildRequest, judgeResponse, type Format, type Message } from "./formats";
import { notify } from "./notify";

/** The wait after each failed attempt (Standard Webhooks' schedule); after the last, the delivery is given up. */
export const RETRY_SCHEDULE_MS = [5_000, 5 * 60_000, 30 * 60_000, 2 * 3600_000, 5 * 3600_000, 10 * 3600_000, 10 * 3600_000];

const WEBHOOK_TIMEOUT_MS = 15_000;

export interface DeliveryOptions {
  /** Waits after failed attempts; tests shorten it. */
  schedule?: number[];
}

/** A link in the app, absolute when PUBLIC_URL is set. */
export function absoluteLink(link: string | null): string | null {
  if (!link) return null;
  const base = settings().PUBLIC_URL;
  return base ? new URL(link, base.endsWith("/") ? base : `${base}/`).toString() : link;
}

/** Claims up to `limit` due deliveries for `owner`; returns their ids. */
export async function claimDueDeliveries(prisma: Db, owner: string, limit: number, leaseMs: number): Promise<string[]> {
  const now = new Date().toISOString();
  const until = new Date(Date.now() + leaseMs).toISOString();
  const rows = await prisma.$queryRaw<{ id: string }[]>`
    UPDATE "Delivery" SET "leaseOwner" = ${owner}, "leaseUntil" = ${until}::timestamp
    WHERE "id" IN (
      SELECT "id" FROM "Delivery"
      WHERE "status" = 'pending' AND "nextAttemptAt" IS NOT NULL AND "nextAttemptAt" <= ${now}::timestamp
        AND ("leaseUntil" IS NULL OR "leaseUntil" < ${now}::timestamp)
      ORDER BY "nextAttemptAt"
      LIMIT ${limit}
      FOR UPDATE SKIP LOCKED
    )
    RETURNING "id"`;
  return rows.map((r) => r.id);
}

/** Why a send failed, in words that never carry the URL (a Slack or WeCom URL is the credential) or a stack. */
function describeSendError(err: unknown): string {
  if (isOutboundRefused(err)) {
    for (let e = err as { message?: string; cause?: unknown } | undefined, i = 0; e && i < 8; e = e.cause as typeof e, i++) {
      if ((e as { code?: string }).code === "BB_OUTBOUND_REFUSED") return e.message ?? "refused by the outbound guard";
    }
  }
  if ((err as { name?: string })?.name === "TimeoutError") return `no answer within ${WEBHOOK_TIMEOUT_MS / 1000} s`;
  for (let e = err as { code?: unknown; cause?: unknown; message?: unknown } | undefined, i = 0; e && i < 8; e = e.cause as typeof e, i++) {
    if (typeof e.code === "string" && /^E[A-Z_]+$/.test(e.code)) return `could not connect (${e.code})`;
  }
  const m = err instanceof Error ? err.message : String(err);
  return redact(m).replace(/https?:\/\/\S+/g, "[url]").slice(0, 300);
}

type Loaded = NonNullable<Awaited<ReturnType<typeof load>>>;

function load(prisma: Db, id: string) {
  return prisma.delivery.findUnique({
    where: { id },
    include: {
      event: true,
      webhook: { omit: { encryptedUrl: false, encryptedSecret: false } },
    },
  });
}

function messageOf(d: Loaded): Message {
  return { id: d.id, type: d.event.type, title: d.event.title, body: d.event.body, link: absoluteLink(d.event.link), data: d.event.data, createdAt: d.event.createdAt };
}

/** One attempt: null when it was taken, else why not. `status`: the HTTP status, where there was one. */
async function attempt(prisma: Db, d: Loaded): Promise<{ error: string | null; status?: number }> {
  if (d.channel === "email") {
    const user = d.userId ? await prisma.user.findUnique({ where: { id: d.userId }, select: { email: true, name: true, locale: true } }) : null;
    if (!user) return { error: "the member no longer exists" };
    const m = messageOf(d);
    const { subject, text, html } = emailWords({ type: m.type, title: m.title, body: m.body, data: (m.data ?? {}) as Record<string, unknown> }, user.locale, m.link, absoluteLink("/account/notifications"));
    try {
      await sendEmail({ to: user.email, subject, text, html, id: d.id });
      return { error: null };
    } catch (err) {
      const code = (err as { responseCode?: number }).responseCode;
      return { error: code ? `the SMTP server answered ${code}` : describeSendError(err) };
    }
  }
  const w = d.webhook;
  if (!w) return { error: "the webhook was deleted" };
  const url = decryptSecret(w.encryptedUrl);
  const secret = w.encryptedSecret ? decryptSecret(w.encryptedSecret) : null;
  const req = buildRequest(w.format as Format, url, secret, messageOf(d), new Date());
  try {
    const res = await outboundFetch(req.url, { method: "POST", headers: req.headers, body: req.body, redirect: "manual", signal: AbortSignal.timeout(WEBHOOK_TIMEOUT_MS) });
    const text = (await res.text()).slice(0, 2000);
    return { error: judgeResponse(w.format as Format, res.status, redact(text, [url, secret])), status: res.status };
  } catch (err) {
    return { error: describeSendError(err) };
  }
}

/**
 * Sends one claimed delivery and records the attempt: delivered, retried later, or given up (which
 * may disable its webhook). Returns what happened, or "lost" when another instance holds the row now.
 */
export async function deliverOne(prisma: Db, id: string, owner: string, opts: DeliveryOptions = {}): Promise<"delivered" | "retry" | "failed" | "lost"> {
  const schedule = opts.schedule ?? RETRY_SCHEDULE_MS;
  const d = await load(prisma, id);
  if (!d || d.leaseOwner !== owner || d.status !== "pending") return "lost";
  const mine = { id, leaseOwner: owner, status: "pending" };
  if (d.webhook && !d.webhook.enabled) {
    await prisma.delivery.updateMany({ where: mine, data: { status: "failed", lastError: "the webhook is disabled", nextAttemptAt: null, leaseOwner: null, leaseUntil: null } });
    return "failed";
  }
  const started = Date.now();
  const out = await attempt(prisma, d);
  const at = new Date();
  const number = d.attempts + 1;
  const ok = out.error === null;
  const wait = schedule[number - 1];
  let outcome: "delivered" | "retry" | "failed" = ok ? "delivered" : wait === undefined ? "failed" : "retry";
  const taken = await prisma.$transaction(async (tx) => {
    // Its webhook disabled meanwhile (by another delivery giving up, or an admin): no retry.
    if (outcome === "retry" && d.webhook && !(await tx.webhook.findUnique({ where: { id: d.webhook.id }, select: { enabled: true } }))?.enabled) outcome = "failed";
    const r = await tx.delivery.updateMany({
      where: mine,
      data: {
        attempts: number,
        status: outcome === "retry" ? "pending" : outcome,
        lastError: out.error,
        deliveredAt: ok ? at : null,
        nextAttemptAt: outcome === "retry" ? new Date(at.getTime() + wait!) : null,
        leaseOwner: null,
        leaseUntil: null,
      },
    });
    if (r.count !== 1) return false;
    await tx.deliveryAttempt.create({ data: { deliveryId: id, at, ok, statusCode: out.status ?? null, error: out.error, durationMs: at.getTime() - started } });
    if (d.webhook) {
      await tx.webhook.update({
        where: { id: d.webhook.id },
        data: ok ? { consecutiveFailures: 0, failingSince: null } : { consecutiveFailures: { increment: 1 }, failingSince: d.webhook.failingSince ?? at },
      });
    }
    return true;
  });
  if (!taken) return "lost";
  log[ok ? "info" : "warn"]("notify.delivery_attempt", { deliveryId: id, channel: d.channel, webhookId: d.webhookId, attempt: number, outcome, status: out.status, error: out.error });
  if (outcome === "failed" && d.webhook) await maybeDisable(prisma, d.webhook.id, d.createdAt);
  return outcome;
}

/**
 * A delivery was given up. If its webhook has not had one success since this delivery's first
 * attempt (it has failed for the whole schedule, about a day), it is disabled: its waiting
 * deliveries are given up, and the admins told.
 */
async function maybeDisable(prisma: Db, webhookId: string, since: Date) {
  const w = await prisma.webhook.findUnique({ where: { id: webhookId } });
  if (!w || !w.enabled || !w.failingSince || w.failingSince.getTime() > since.getTime() + 60_000) return;
  const last = await prisma.delivery.findFirst({ where: { webhookId, lastError: { not: null } }, orderBy: { createdAt: "desc" }, select: { lastError: true } });
  const reason = `Disabled after failing every delivery since ${w.failingSince.toISOString()}${last?.lastError ? ` (last error: ${last.lastError})` : ""}.`;
  await prisma.$transaction(async (tx) => {
    const r = await tx.webhook.updateMany({ where: { id: webhookId, enabled: true }, data: { enabled: false, disabledAt: new Date(), disabledReason: reason } });
    if (r.count !== 1) return;
    await tx.delivery.updateMany({ where: { webhookId, status: "pending", leaseOwner: null }, data: { status: "failed", lastError: "the webhook was disabled", nextAttemptAt: null } });
    await notify(w.teamId, webhookDisabledEvent({ id: w.id, name: w.name, since: w.failingSince!, lastError: last?.lastError ?? null }), { tx });
  });
  log.warn("notify.webhook_disabled", { webhookId, teamId: w.teamId, failingSince: w.failingSince });
}

export type DeliveryWorkerOptions = WorkerOptions & DeliveryOptions;

export function startDeliveryWorker(opts: DeliveryWorkerOptions = {}): Worker {
  const owner = opts.owner ?? workerOwner();
  const tickMs = opts.tickMs ?? 2000;
  const concurrency = opts.concurrency ?? 8;
  // Longer than the slowest attempt (a 15 s webhook timeout, an SMTP socket timeout of 30 s).
  const leaseMs = opts.leaseMs ?? 120_000;
  const getDb = () => (opts.prisma ? Promise.resolve(opts.prisma) : db());
  async function runOnce() {
    const prisma = await getDb();
    const ids = await claimDueDeliveries(prisma, owner, concurrency, leaseMs);
    await Promise.all(ids.map((id) => deliverOne(prisma, id, owner, opts).catch((err) => log.error("notify.delivery_failed", { deliveryId: id, err }))));
    return ids.length;
  }
  const loop = startTickLoop({ tick: runOnce, tickMs, full: concurrency, manual: opts.manual, onError: (err) => log.error("notify.tick_failed", { owner, err }) });
  return { owner, runOnce: loop.runOnce, stop: loop.stop };
}
