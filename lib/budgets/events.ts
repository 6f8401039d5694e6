// A budget threshold crossed: the one place such an event leaves lib/budgets, for the log, the
// notifications (the bell, email and webhooks, lib/notify) and listeners (tests).
import "server-only";
import type { Db } from "@/lib/db/client";
import { log } from "@/lib/log";
import { budgetThresholdEvent } from "@/lib/notify/events";
import { notify } from "@/lib/notify/notify";

export interface BudgetThresholdEvent {
  type: "budget.threshold";
  threshold: 80 | 100;
  /** "2026-12" */
  month: string;
  scope: { team: true } | { connectionId: string; name: string };
  budget: number;
  spent: number;
  currency: string;
  /** One sentence for a person. */
  message: string;
}

type Listener = (teamId: string, event: BudgetThresholdEvent) => Promise<void> | void;
const listeners: Listener[] = [];

/** Tests (and the notifications, until wired directly) hear each announcement here. */
export function onBudgetThreshold(l: Listener): () => void {
  listeners.push(l);
  return () => void listeners.splice(listeners.indexOf(l), 1);
}

/** Announced once per budget, threshold and month (announceThresholds records it first). */
export async function budgetThresholdCrossed(prisma: Db, teamId: string, event: BudgetThresholdEvent): Promise<void> {
  log.info("budget.threshold", { teamId, threshold: event.threshold, month: event.month, scope: "team" in event.scope ? "team" : event.scope.connectionId });
  const connection = "team" in event.scope ? undefined : event.scope;
  await notify(
    teamId,
    budgetThresholdEvent({
      budgetId: connection ? `connection:${connection.connectionId}` : `team:${teamId}`,
      scope: connection ? `Connection ${connection.name}` : "The team",
      month: event.month,
      percent: event.threshold,
      spent: event.spent,
      limit: event.budget,
      currency: event.currency,
      ...(connection ? { connectionId: connection.connectionId } : {}),
    }),
    { prisma },
  );
  for (const l of [...listeners]) await l(teamId, event);
}
