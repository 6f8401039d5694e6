// Announces budget thresholds without anyone opening a page: once a minute, each team with a budget
// (its own or a connection's) has its changed batches rolled up and its budgets checked
// (refreshBudgets). Several instances may run it: each threshold is recorded once (BudgetAlert's
// unique key), so it is announced once.
import "server-only";
import type { Db } from "@/lib/db/client";
import { log } from "@/lib/log";
import { refreshBudgets } from "./budgets";

export const BUDGET_CHECK_MS = 60_000;

/** One round: every team with a budget. Answers how many teams it checked. */
export async function checkBudgets(prisma: Db, now = new Date()): Promise<number> {
  const teams = await prisma.team.findMany({
    where: { OR: [{ monthlyBudget: { not: null } }, { connections: { some: { monthlyBudget: { not: null } } } }] },
    select: { id: true },
  });
  for (const t of teams) {
    try {
      await refreshBudgets(prisma, t.id, now);
    } catch (err) {
      log.warn("budget.check_failed", { teamId: t.id, err });
    }
  }
  return teams.length;
}

export function startBudgetWatcher(prisma: () => Promise<Db>, everyMs = BUDGET_CHECK_MS): { stop(): void } {
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  const loop = async () => {
    try {
      await checkBudgets(await prisma());
    } catch (err) {
      log.warn("budget.check_failed", { err });
    }
    if (!stopped) schedule();
  };
  // unref: a pending check never keeps the process alive.
  const schedule = () => (timer = setTimeout(loop, everyMs)).unref();
  schedule();
  return {
    stop() {
      stopped = true;
      clearTimeout(timer);
    },
  };
}
