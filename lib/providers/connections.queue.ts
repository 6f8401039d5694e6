// Writing a connection's queue limits (queue-limits.ts): the tier, the team's own per-model
// enqueued-token limits and the unfinished-batch limit, as the connections page's form sends them.
// Audited like the other connection changes; another team's connection is "not found".
import "server-only";
import type { Db } from "@/lib/db/client";
import { Prisma } from "@/lib/generated/prisma/client";
import { auditData } from "@/lib/audit";
import { NotFoundError, UserError } from "@/lib/errors";
/** Who acts (the team context an action passes). */
type ActorContext = { user: { id: string }; team: { id: string } };
import { hasQueueLimits, queueLimitsFromForm, type EditQueueLimitsInput, type QueueLimits } from "./queue-limits";

export async function editQueueLimits(prisma: Db, ctx: ActorContext, input: EditQueueLimitsInput): Promise<QueueLimits | null> {
  const c = await prisma.providerConnection.findFirst({ where: { id: input.connectionId, teamId: ctx.team.id }, select: { id: true, kind: true, name: true } });
  if (!c) throw new NotFoundError("That connection");
  if (!hasQueueLimits(c.kind)) throw new UserError(`${c.name} launches one batch at a time on its own; it has no queue limits.`);
  let limits: QueueLimits | null = null;
  if (!input.reset) {
    const r = queueLimitsFromForm(c.kind, input);
    if (r.fieldErrors) {
      const n = Object.keys(r.fieldErrors).length;
      throw new UserError(n === 1 ? Object.values(r.fieldErrors)[0] : `${n} queue limits need fixing: ${Object.values(r.fieldErrors).join(" ")}`, r.fieldErrors);
    }
    limits = r.limits && Object.keys(r.limits).length ? r.limits : null;
  }
  const event = await auditData(prisma, { teamId: ctx.team.id, actorId: ctx.user.id, action: "connection.queue_limits_changed", targetType: "connection", targetId: c.id, targetLabel: c.name, data: (limits ?? {}) as Prisma.InputJsonValue });
  await prisma.$transaction([
    prisma.providerConnection.update({ where: { id: c.id }, data: { queueLimits: limits ? (limits as Prisma.InputJsonValue) : Prisma.DbNull } }),
    prisma.auditEvent.create({ data: event }),
  ]);
  return limits;
}
