// Cancelling a sandbox batch: the first cancel sets the time (a second, or a second instance, changes
// nothing); the clock then runs it to cancelled. An ended batch cannot be cancelled.
import "server-only";
import { db } from "@/lib/db/client";
import { modeOf } from "@/lib/providers/imitations";
import { badRequest } from "@/lib/providers/sandbox/api-error";
import { clockOf } from "@/lib/providers/sandbox/clock";
import type { SandboxMode } from "@/lib/providers/sandbox/mode";
import { progressAt } from "@/lib/providers/sandbox/progress";
import { findBatch, render, spell } from "./read";

export async function cancelBatch(teamId: string, id: string, mode?: SandboxMode) {
  const row = await findBatch(teamId, id, mode);
  const now = Date.now();
  const { status } = progressAt(clockOf(row), now);
  if (status === "cancelling" || status === "cancelled") return render(row, now);
  if (status !== "validating" && status !== "in_progress") {
    throw badRequest(`Cannot cancel a batch with status '${spell(modeOf(row.mode), status)}'.`, null, "batch_not_cancellable");
  }
  const prisma = await db();
  // Only the first cancel sets the time: a second one (or a second instance) changes nothing.
  await prisma.sandboxBatch.updateMany({ where: { id, teamId, cancelledAt: null }, data: { cancelledAt: new Date(now) } });
  return render(await findBatch(teamId, id));
}
