// A member's in-app notifications in the current team: the bell's list and unread count, marking
// one or all read. A member sees and marks only their own rows.
import "server-only";
import type { Db } from "@/lib/db/client";
import { NotFoundError } from "@/lib/errors";

export interface InboxItem {
  id: string;
  type: string;
  title: string;
  body: string;
  link: string | null;
  at: string;
  read: boolean;
  /** The event's facts (lib/notify/events.ts), from which the bell words it in the reader's language. */
  data: Record<string, unknown>;
}

export async function readInbox(prisma: Db, userId: string, teamId: string, take = 20): Promise<{ unread: number; items: InboxItem[] }> {
  const [unread, rows] = await Promise.all([
    prisma.notification.count({ where: { userId, teamId, readAt: null } }),
    prisma.notification.findMany({ where: { userId, teamId }, orderBy: { createdAt: "desc" }, take, include: { event: true } }),
  ]);
  return {
    unread,
    items: rows.map((r) => ({ id: r.id, type: r.event.type, title: r.event.title, body: r.event.body, link: r.event.link, at: r.createdAt.toISOString(), read: r.readAt !== null, data: (r.event.data ?? {}) as Record<string, unknown> })),
  };
}

export async function markRead(prisma: Db, userId: string, teamId: string, id: string) {
  const r = await prisma.notification.updateMany({ where: { id, userId, teamId }, data: { readAt: new Date() } });
  if (r.count === 0) throw new NotFoundError("That notification");
}

export async function markAllRead(prisma: Db, userId: string, teamId: string) {
  const r = await prisma.notification.updateMany({ where: { userId, teamId, readAt: null }, data: { readAt: new Date() } });
  return r.count;
}
