// Monthly budgets: the team's, and optionally one per connection, in the team's budget currency.
// Spend is what the team's batches launched this calendar month (UTC) came to at its prices
// (BatchUsage, lib/usage/rollup.ts); spend in another currency is shown apart, never converted.
// Warnings at 80% and 100% (the overview, the launch form), each threshold announced once a month
// (budgetThresholdCrossed), and, when an admin chose it, a launch whose estimate goes beyond what
// is left is refused in the launch path (checkLaunchBudget) with the figures in the message.
import "server-only";
import type { Db } from "@/lib/db/client";
import { sql } from "@/lib/db/sql";
import { UserError } from "@/lib/errors";
import { connectionCost, DEFAULT_ASSUMED_OUTPUT, formatMoney } from "@/lib/pricing/cost";
import { findPrice } from "@/lib/pricing/match";
import { teamPrices } from "@/lib/pricing/prices";
import { fileTokens } from "@/lib/tokens/file";
import { refreshUsage } from "@/lib/usage/rollup";
import { budgetLevel, monthOf, type BudgetLine, type BudgetStatus } from "./levels";
import { budgetThresholdCrossed } from "./events";

export { budgetLevel, monthOf, type BudgetLine, type BudgetStatus } from "./levels";

/** The first instant of the month `now` is in (UTC), and of the next. */
export function monthBounds(now: Date): { from: Date; to: Date } {
  const from = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1));
  const to = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 1, 1));
  return { from, to };
}

interface SpendRow {
  connectionId: string;
  currency: string | null;
  cost: number | null;
}

/** The team's budgets and this month's spend against them. Rolls up changed batches first. */
export async function budgetStatus(prisma: Db, teamId: string, now = new Date(), opts: { refresh?: boolean } = {}): Promise<BudgetStatus> {
  if (opts.refresh !== false) await refreshUsage(prisma, teamId);
  const [team, connections] = await Promise.all([
    prisma.team.findUniqueOrThrow({ where: { id: teamId }, select: { monthlyBudget: true, budgetCurrency: true, budgetEnforce: true } }),
    prisma.providerConnection.findMany({ where: { teamId }, select: { id: true, name: true, monthlyBudget: true }, orderBy: { name: "asc" } }),
  ]);
  const { from, to } = monthBounds(now);
  const rows = await sql(prisma).query<SpendRow>(
    `SELECT b."connectionId", u."currency", sum(u."cost")::float8 AS cost
       FROM "Batch" b JOIN "BatchUsage" u ON u."batchId" = b."id"
      WHERE b."teamId" = $1 AND b."createdAt" >= $2 AND b."createdAt" < $3 AND u."cost" IS NOT NULL
      GROUP BY b."connectionId", u."currency"`,
    [teamId, from, to],
  );
  const currency = team.budgetCurrency;
  const spentOn = (connectionId?: string) => rows.filter((r) => r.currency === currency && (!connectionId || r.connectionId === connectionId)).reduce((a, r) => a + Number(r.cost ?? 0), 0);
  const line = (name: string, budget: number, spent: number, connectionId: string | null): BudgetLine => {
    const percent = budget > 0 ? (spent / budget) * 100 : 100;
    return { connectionId, name, budget, spent, left: Math.max(0, budget - spent), percent, level: budgetLevel(percent) };
  };
  const other = new Map<string, number>();
  for (const r of rows) if (r.currency && r.currency !== currency) other.set(r.currency, (other.get(r.currency) ?? 0) + Number(r.cost ?? 0));
  return {
    month: monthOf(now),
    currency,
    enforce: team.budgetEnforce,
    spent: spentOn(),
    otherCurrencies: [...other].map(([c, amount]) => ({ currency: c, amount })),
    team: team.monthlyBudget != null ? line("Team", team.monthlyBudget, spentOn(), null) : null,
    connections: connections.filter((c) => c.monthlyBudget != null).map((c) => line(c.name, c.monthlyBudget!, spentOn(c.id), c.id)),
  };
}

/** Announces each budget line at or past 80% / 100% once per month (the first caller to record it). */
export async function announceThresholds(prisma: Db, teamId: string, status: BudgetStatus): Promise<number> {
  let announced = 0;
  for (const l of [status.team, ...status.connections]) {
    if (!l) continue;
    for (const threshold of [80, 100] as const) {
      if (l.percent < threshold) continue;
      const inserted = await sql(prisma).exec(
        `INSERT INTO "BudgetAlert" ("id", "teamId", "connectionId", "month", "threshold") VALUES (gen_random_uuid()::text, $1, $2, $3, $4)
         ON CONFLICT ("teamId", "connectionId", "month", "threshold") DO NOTHING`,
        [teamId, l.connectionId ?? "", status.month, threshold],
      );
      if (inserted === 0) continue;
      announced++;
      await budgetThresholdCrossed(prisma, teamId, {
        type: "budget.threshold",
        threshold,
        month: status.month,
        scope: l.connectionId ? { connectionId: l.connectionId, name: l.name } : { team: true },
        budget: l.budget,
        spent: l.spent,
        currency: status.currency,
        message: `${l.connectionId ? `The connection ${l.name}` : "The team"} has spent ${formatMoney(l.spent, status.currency)} of its ${formatMoney(l.budget, status.currency)} monthly budget (${Math.floor(l.percent + 1e-9)}%).`,
      });
    }
  }
  return announced;
}

/** Rolls up, reads the budgets and announces thresholds: the overview's and the watcher's one call. */
export async function refreshBudgets(prisma: Db, teamId: string, now = new Date()): Promise<BudgetStatus> {
  const status = await budgetStatus(prisma, teamId, now);
  await announceThresholds(prisma, teamId, status);
  return status;
}

/**
 * What launching `requests` of the file on the connection is estimated to cost, in `currency`
 * (the estimate of the launch form: the file's tokens, max_tokens or DEFAULT_ASSUMED_OUTPUT per
 * request, the team's prices). Null when no model of the file has a price in that currency.
 */
export async function launchEstimate(
  prisma: Db,
  teamId: string,
  input: { fileId: string; connectionKind: string; window: string; requests?: number },
  currency: string,
): Promise<number | null> {
  const tokens = await fileTokens(prisma, teamId, input.fileId);
  const own = await teamPrices(prisma, teamId);
  const cost = connectionCost(tokens.models, { prices: tokens.models.map((m) => ({ model: m.model, price: m.model ? findPrice(own, input.connectionKind, m.model, input.window) : null })) }, DEFAULT_ASSUMED_OUTPUT);
  const amount = cost.amounts.find((a) => a.currency === currency)?.total;
  if (amount === undefined) return null;
  // A part of a job: its share of the file.
  return input.requests !== undefined && tokens.requests > 0 ? (amount * input.requests) / tokens.requests : amount;
}

/**
 * The launch path's check: with refusal chosen, a launch whose estimate goes beyond what is left of
 * the team's budget or the connection's is refused, naming the budget and the figures.
 */
export async function checkLaunchBudget(
  prisma: Db,
  teamId: string,
  launch: { fileId: string; connectionId: string; connectionKind: string; window: string; requests?: number; dryRun?: boolean },
  now = new Date(),
): Promise<void> {
  if (launch.dryRun) return; // a free test run
  const team = await prisma.team.findUnique({ where: { id: teamId }, select: { budgetEnforce: true } });
  if (!team?.budgetEnforce) return;
  const status = await budgetStatus(prisma, teamId, now);
  const lines = [status.team, status.connections.find((c) => c.connectionId === launch.connectionId)].filter((l): l is BudgetLine => Boolean(l));
  if (lines.length === 0) return;
  const estimate = await launchEstimate(prisma, teamId, launch, status.currency);
  const money = (n: number) => formatMoney(n, status.currency);
  for (const l of lines) {
    const whose = l.connectionId ? `the connection ${l.name}'s` : "the team's";
    if (l.spent >= l.budget) {
      throw new UserError(`Launch refused: ${whose} monthly budget of ${money(l.budget)} is used up (${money(l.spent)} spent in ${status.month}). An admin can raise the budget or allow launches beyond it on the Team page.`);
    }
    if (estimate !== null && l.spent + estimate > l.budget) {
      throw new UserError(
        `Launch refused: this batch is estimated at ${money(estimate)}, and only ${money(l.left)} is left of ${whose} monthly budget of ${money(l.budget)} (${money(l.spent)} spent in ${status.month}). Launch fewer requests, or ask an admin to raise the budget or allow launches beyond it on the Team page.`,
      );
    }
  }
}
