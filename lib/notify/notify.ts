// notify(teamId, event): records that something happened, once. The event row is unique per team
// and key, so a retried sync, a second instance or a second call with the same key does nothing.
// In the same transaction it fans out: an inbox row for each member who takes the type in the app,
// and the outbox (Delivery) rows of the emails and webhook calls the delivery worker sends
// (delivery.ts). A caller holding a transaction passes it, so the event is recorded together with
// the change it reports, or not at all.
import "server-only";
import { db, type Db } from "@/lib/db/client";
import type { Prisma } from "@/lib/generated/prisma/client";
import { settings } from "@/lib/env";
import { log } from "@/lib/log";
import { EVENT_INFO, type EventType, type NotifyEvent } from "./events";

type Tx = Prisma.TransactionClient;

/** Whether the server can send email (SMTP_HOST set). */
export const emailEnabled = () => Boolean(settings().SMTP_HOST);

/** What a member receives of each type: their choice, or the type's default. */
export async function preferencesOf(prisma: Db | Tx, teamId: string, userIds: string[], type: EventType) {
  const rows = await prisma.notificationPreference.findMany({ where: { teamId, type, userId: { in: userIds } } });
  const chosen = new Map(rows.map((r) => [r.userId, r]));
  const info = EVENT_INFO[type];
  return userIds.map((userId) => ({ userId, inApp: chosen.get(userId)?.inApp ?? info.inApp, email: chosen.get(userId)?.email ?? info.email }));
}

async function record(tx: Tx, teamId: string, e: NotifyEvent): Promise<{ recorded: boolean; eventId: string }> {
  const made = await tx.notificationEvent.createMany({
    data: [{ teamId, type: e.type, key: e.key, title: e.title, body: e.body, link: e.link ?? null, data: e.data }],
    skipDuplicates: true,
  });
  const row = await tx.notificationEvent.findUniqueOrThrow({ where: { teamId_key: { teamId, key: e.key } }, select: { id: true } });
  if (made.count === 0) return { recorded: false, eventId: row.id };

  const info = EVENT_INFO[e.type];
  const members = await tx.membership.findMany({
    where: { teamId, ...(info.audience === "admins" ? { role: { in: ["OWNER", "ADMIN"] } } : {}) },
    select: { userId: true },
  });
  const prefs = await preferencesOf(tx, teamId, members.map((m) => m.userId), e.type);
  const inbox = prefs.filter((p) => p.inApp).map((p) => ({ eventId: row.id, userId: p.userId, teamId }));
  if (inbox.length) await tx.notification.createMany({ data: inbox, skipDuplicates: true });

  const deliveries: Prisma.DeliveryCreateManyInput[] = [];
  if (emailEnabled()) {
    for (const p of prefs) if (p.email) deliveries.push({ teamId, eventId: row.id, channel: "email", target: `email:${p.userId}`, userId: p.userId });
  }
  if (info.webhook) {
    const hooks = await tx.webhook.findMany({ where: { teamId, enabled: true, events: { has: e.type } }, select: { id: true } });
    for (const w of hooks) deliveries.push({ teamId, eventId: row.id, channel: "webhook", target: `webhook:${w.id}`, webhookId: w.id });
  }
  if (deliveries.length) await tx.delivery.createMany({ data: deliveries, skipDuplicates: true });
  log.info("notify.recorded", { teamId, type: e.type, eventId: row.id, inApp: inbox.length, deliveries: deliveries.length });
  return { recorded: true, eventId: row.id };
}

/**
 * Records `event` for `teamId` once (see the top of this file): in `tx`, a transaction the caller
 * holds, or in a transaction of its own on `prisma` (the app's database by default).
 */
export async function notify(teamId: string, event: NotifyEvent, opts: { tx?: Tx; prisma?: Db } = {}): Promise<{ recorded: boolean; eventId: string }> {
  if (opts.tx) return record(opts.tx, teamId, event);
  const p = opts.prisma ?? (await db());
  return p.$transaction((tx) => record(tx, teamId, event));
}
