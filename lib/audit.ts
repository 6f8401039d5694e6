import "server-only";
import type { Db } from "@/lib/db/client";
import type { Prisma } from "@/lib/generated/prisma/client";

/** Records who did what to which object. Never put a secret in `data`. */
export function audit(
  prisma: Db | Prisma.TransactionClient,
  e: { teamId: string; actorId?: string | null; action: string; targetType?: string; targetId?: string; data?: Prisma.InputJsonValue },
) {
  return prisma.auditEvent.create({ data: e });
}
