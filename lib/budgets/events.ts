// A budget threshold crossed: the one place such an event leaves lib/budgets. The notifications
// work (issue 16, the `notify` branch) exposes notify(teamId, event); until it is merged this logs
// the event, and the lead connects it here: `await notify(teamId, event)`.
import "server-only";
import { log } from "@/lib/log";

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
export async function budgetThresholdCrossed(teamId: string, event: BudgetThresholdEvent): Promise<void> {
  log.info("budget.threshold", { teamId, threshold: event.threshold, month: event.month, scope: "team" in event.scope ? "team" : event.scope.connectionId });
  for (const l of [...listeners]) await l(teamId, event);
}
