// Reading a team's audit log: keyset pages, newest first (the row id only grows, so "after" is the
// id of the last row shown and every page costs what the first does on the (teamId, id) index), the
// filters of params.ts as one WHERE clause, the values the filters offer, and the CSV export that
// walks the same pages.
import "server-only";
import { Readable } from "node:stream";
import { csvHeader, csvRecords } from "@/lib/csv/write";
import type { Db } from "@/lib/db/client";
import type { Prisma } from "@/lib/generated/prisma/client";
import type { AuditFilters, AuditParams } from "./params";

export const AUDIT_PAGE_SIZE = 50;
const CSV_PAGE_SIZE = 1000;

export interface AuditRow {
  id: string;
  at: string;
  actorId: string | null;
  actor: string | null;
  token: string | null;
  ip: string | null;
  action: string;
  targetType: string | null;
  targetId: string | null;
  target: string | null;
  /** What else the row records, as JSON text ("" when nothing). */
  details: string;
}

export interface AuditPage {
  rows: AuditRow[];
  /** The cursor of the next (older) page, or null at the oldest. */
  next: string | null;
}

export function auditWhere(teamId: string, f: AuditFilters): Prisma.AuditEventWhereInput {
  const and: Prisma.AuditEventWhereInput[] = [{ teamId }];
  if (f.action) and.push({ action: f.action });
  if (f.actor) and.push({ actorId: f.actor });
  if (f.type) and.push({ targetType: f.type });
  if (f.from) and.push({ createdAt: { gte: new Date(`${f.from}T00:00:00Z`) } });
  if (f.to) and.push({ createdAt: { lt: new Date(Date.parse(`${f.to}T00:00:00Z`) + 86400_000) } });
  if (f.q) {
    const contains = { contains: f.q, mode: "insensitive" as const };
    and.push({ OR: [{ actorLabel: contains }, { tokenName: contains }, { ip: contains }, { action: contains }, { targetLabel: contains }, { targetId: contains }] });
  }
  return { AND: and };
}

type Stored = Prisma.AuditEventGetPayload<object>;

function toRow(e: Stored): AuditRow {
  return {
    id: String(e.id),
    at: e.createdAt.toISOString(),
    actorId: e.actorId,
    actor: e.actorLabel,
    token: e.tokenName,
    ip: e.ip,
    action: e.action,
    targetType: e.targetType,
    targetId: e.targetId,
    target: e.targetLabel,
    details: e.data === null || e.data === undefined ? "" : JSON.stringify(e.data),
  };
}

export async function auditPage(prisma: Db, teamId: string, p: AuditParams, size = AUDIT_PAGE_SIZE): Promise<AuditPage> {
  const where = auditWhere(teamId, p);
  const found = await prisma.auditEvent.findMany({
    where: p.after ? { AND: [where, { id: { lt: BigInt(p.after) } }] } : where,
    orderBy: { id: "desc" },
    take: size + 1,
  });
  const rows = found.slice(0, size).map(toRow);
  return { rows, next: found.length > size ? rows[rows.length - 1].id : null };
}

/** What the filters offer: the actions and object types the log holds, and who acted. */
export async function auditFacets(prisma: Db, teamId: string) {
  const [actions, types, actors] = await Promise.all([
    prisma.auditEvent.findMany({ where: { teamId }, distinct: ["action"], select: { action: true }, orderBy: { action: "asc" } }),
    prisma.auditEvent.findMany({ where: { teamId, targetType: { not: null } }, distinct: ["targetType"], select: { targetType: true }, orderBy: { targetType: "asc" } }),
    prisma.auditEvent.findMany({ where: { teamId, actorId: { not: null } }, distinct: ["actorId"], select: { actorId: true, actorLabel: true }, orderBy: { actorId: "asc" } }),
  ]);
  return {
    actions: actions.map((a) => a.action),
    types: types.map((t) => t.targetType!),
    actors: actors.map((a) => ({ id: a.actorId!, label: a.actorLabel ?? a.actorId! })).sort((x, y) => x.label.localeCompare(y.label)),
  };
}

export const AUDIT_CSV_COLUMNS = ["time", "actor", "actor_id", "token", "ip", "action", "object_type", "object_id", "object", "details"] as const;

/** The filtered log as CSV, newest first, streamed a page at a time; every cell formula-safe (lib/csv/write.ts). */
export function auditCsv(prisma: Db, teamId: string, f: AuditFilters, opts: { bom?: boolean; pageSize?: number } = {}): Readable {
  const size = opts.pageSize ?? CSV_PAGE_SIZE;
  return Readable.from(
    (async function* () {
      yield csvHeader(AUDIT_CSV_COLUMNS, opts.bom ?? false);
      let after: string | undefined;
      for (;;) {
        const page = await auditPage(prisma, teamId, { ...f, after }, size);
        if (page.rows.length) yield csvRecords(page.rows.map((r) => [r.at, r.actor, r.actorId, r.token, r.ip, r.action, r.targetType, r.targetId, r.target, r.details]));
        if (!page.next) return;
        after = page.next;
      }
    })(),
    { objectMode: false },
  );
}
