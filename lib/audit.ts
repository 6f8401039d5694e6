// The audit log's writer: one row per change in a team, saying who (the actor and their email then,
// the API token if the request came with one), from where (the client's address while a request is
// being served; null in the sync worker and the admin CLI), when, and to what (the object's type, id
// and its name then, so the row still reads after a rename or a delete). The Audit page and its CSV
// read these rows (lib/audit-log). Never put a secret in `data`.
import "server-only";
import { headers } from "next/headers";
import type { Db } from "@/lib/db/client";
import type { Prisma } from "@/lib/generated/prisma/client";
import { clientIp, UNKNOWN_ADDRESS } from "@/lib/http/client-ip";
import { requestScope } from "@/lib/http/request-scope";

type Client = Db | Prisma.TransactionClient;

export interface AuditEntry {
  teamId: string;
  actorId?: string | null;
  /** Who acted, as shown: by default the actor's email now; "admin CLI" for the command line. */
  actorLabel?: string | null;
  action: string;
  targetType?: string;
  targetId?: string;
  /** The object's name at the time (a batch's or file's name, a member's email). */
  targetLabel?: string | null;
  data?: Prisma.InputJsonValue;
  /** The client's address when it is known better than the request's (Auth.js's authorize). */
  ip?: string | null;
}

/** The actor label of rows the admin CLI writes. */
export const CLI_ACTOR = "admin CLI";

/** The address of the request being served; null outside one (the worker, the CLI) or when unknown. */
export async function requestAddress(): Promise<string | null> {
  let h: Headers;
  try {
    h = await headers();
  } catch {
    return null; // not inside a request
  }
  const ip = clientIp(h);
  return ip === UNKNOWN_ADDRESS ? null : ip;
}

/** The name of an object of the audit log, by its type, or null when it is gone or has none. */
async function nameOf(prisma: Client, type: string, id: string): Promise<string | null> {
  const where = { where: { id } } as const;
  switch (type) {
    case "user":
      return (await prisma.user.findUnique({ ...where, select: { email: true } }))?.email ?? null;
    case "team":
      return (await prisma.team.findUnique({ ...where, select: { name: true } }))?.name ?? null;
    case "connection":
      return (await prisma.providerConnection.findUnique({ ...where, select: { name: true } }))?.name ?? null;
    case "batch":
      return (await prisma.batch.findUnique({ ...where, select: { name: true } }))?.name ?? null;
    case "job":
      return (await prisma.job.findUnique({ ...where, select: { name: true } }))?.name ?? null;
    case "file":
      return (await prisma.inputFile.findUnique({ ...where, select: { name: true } }))?.name ?? null;
    case "token":
      return (await prisma.apiToken.findUnique({ ...where, select: { name: true } }))?.name ?? null;
    case "webhook":
      return (await prisma.webhook.findUnique({ ...where, select: { name: true } }))?.name ?? null;
    default:
      return null;
  }
}

/** The row audit() writes, for callers that create it inside an array $transaction. */
export async function auditData(prisma: Client, e: AuditEntry): Promise<Prisma.AuditEventUncheckedCreateInput> {
  const { ip, actorLabel, targetLabel, ...rest } = e;
  const token = requestScope().token;
  let actor = actorLabel ?? null;
  if (actor === null && e.actorId) actor = (await prisma.user.findUnique({ where: { id: e.actorId }, select: { email: true } }))?.email ?? null;
  let target = targetLabel ?? null;
  // The object's name, looked up here so that every caller need not (a member's is their email);
  // a caller that deletes the object passes the name it had.
  if (target === null && e.targetType && e.targetId) target = await nameOf(prisma, e.targetType, e.targetId);
  return {
    ...rest,
    actorLabel: actor,
    targetLabel: target,
    tokenId: token?.id ?? null,
    tokenName: token?.name ?? null,
    ip: ip === undefined ? await requestAddress() : ip,
  };
}

/** Records who did what to which object. */
export async function audit(prisma: Client, e: AuditEntry) {
  return prisma.auditEvent.create({ data: await auditData(prisma, e) });
}

/** The same change recorded in each of the user's teams (sign-in, password change: the account has no team of its own). */
export async function auditUser(prisma: Client, userId: string, e: Omit<AuditEntry, "teamId">) {
  const teams = await prisma.membership.findMany({ where: { userId }, select: { teamId: true } });
  for (const { teamId } of teams) await audit(prisma, { targetType: "user", targetId: userId, ...e, teamId });
}

/** Who downloads an export: the route's viewer (the user is absent only in handler tests that leave it out). */
export interface Exporter {
  team: { id: string };
  user?: { id: string };
}

/** A download of a team's data (CSV or JSONL): `<type>.exported`, with the file's name and the view's parameters. */
export function auditExport(prisma: Client, v: Exporter, o: { action?: string; targetType: string; targetId: string; targetLabel: string; file: string; url?: URL }) {
  const params = o.url ? Object.fromEntries(o.url.searchParams) : {};
  return audit(prisma, {
    teamId: v.team.id,
    actorId: v.user?.id ?? null,
    action: o.action ?? `${o.targetType}.exported`,
    targetType: o.targetType,
    targetId: o.targetId,
    targetLabel: o.targetLabel,
    data: { file: o.file, params },
  });
}
