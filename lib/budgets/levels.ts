// Budget figures as the overview and the launch form show them. Browser-safe: no server code.

export type BudgetLevel = "ok" | "warning" | "over";

export interface BudgetLine {
  /** Null: the team's own budget. */
  connectionId: string | null;
  name: string;
  budget: number;
  spent: number;
  left: number;
  percent: number;
  level: BudgetLevel;
}

export interface BudgetStatus {
  /** "2026-12" (UTC) */
  month: string;
  currency: string;
  /** Launches beyond what is left are refused. */
  enforce: boolean;
  /** This month's spend in the budget's currency. */
  spent: number;
  /** Spend priced in other currencies: shown apart, not converted. */
  otherCurrencies: { currency: string; amount: number }[];
  team: BudgetLine | null;
  connections: BudgetLine[];
}

/** 80% warns, 100% is over. */
export function budgetLevel(percent: number): BudgetLevel {
  return percent >= 100 ? "over" : percent >= 80 ? "warning" : "ok";
}

/** "2026-12": the UTC month a date is in. */
export function monthOf(d: Date): string {
  return d.toISOString().slice(0, 7);
}

/** The launch form's line: what this launch would leave of each budget that applies. */
export function afterLaunch(status: BudgetStatus, connectionId: string, estimate: number | null) {
  const lines = [status.team, status.connections.find((c) => c.connectionId === connectionId)].filter((l): l is BudgetLine => Boolean(l));
  return lines.map((l) => {
    const spent = l.spent + (estimate ?? 0);
    const percent = l.budget > 0 ? (spent / l.budget) * 100 : 100;
    return { line: l, estimate, percentAfter: percent, levelAfter: budgetLevel(percent), refused: status.enforce && (l.spent >= l.budget || (estimate !== null && spent > l.budget)) };
  });
}
