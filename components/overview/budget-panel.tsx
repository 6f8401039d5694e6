// This month's spend against the team's and each connection's budget, with the 80% and 100% warnings.
import Link from "next/link";
import type { BudgetLine, BudgetStatus } from "@/lib/budgets/levels";
import { formatMoney } from "@/lib/pricing/cost";
import { cn } from "@/components/ui/cn";

const TONE = { ok: "bg-emerald-500", warning: "bg-amber-500", over: "bg-red-600" } as const;

function Line({ l, currency }: { l: BudgetLine; currency: string }) {
  return (
    <li className="space-y-1">
      <div className="flex items-baseline justify-between gap-3 text-sm">
        <span className="font-medium text-slate-800">{l.name}</span>
        <span className="tabular-nums text-slate-600">
          {formatMoney(l.spent, currency)} of {formatMoney(l.budget, currency)}
        </span>
      </div>
      <div className="h-2 overflow-hidden rounded-full bg-slate-100" role="meter" aria-valuemin={0} aria-valuemax={100} aria-valuenow={Math.round(l.percent)} aria-label={`${l.name} budget used`}>
        <div className={cn("h-full", TONE[l.level])} style={{ width: `${Math.min(100, l.percent)}%` }} />
      </div>
      {l.level !== "ok" && (
        <p role="status" className={cn("text-xs font-medium", l.level === "over" ? "text-red-700" : "text-amber-700")}>
          {l.level === "over" ? `Budget used up (${Math.floor(l.percent)}%).` : `${Math.floor(l.percent)}% used: ${formatMoney(l.left, currency)} left this month.`}
        </p>
      )}
    </li>
  );
}

export function BudgetPanel({ budget, canManage }: { budget: BudgetStatus; canManage: boolean }) {
  const lines = [budget.team, ...budget.connections].filter((l): l is BudgetLine => Boolean(l));
  return (
    <div className="space-y-3">
      {lines.length === 0 ? (
        <p className="text-sm text-slate-500">
          No monthly budget set. {formatMoney(budget.spent, budget.currency)} spent in {budget.month}.{" "}
          {canManage && (
            <Link href="/team#budget" className="text-brand-700 hover:underline">
              Set a budget
            </Link>
          )}
        </p>
      ) : (
        <ul className="space-y-3">
          {lines.map((l) => (
            <Line key={l.connectionId ?? "team"} l={l} currency={budget.currency} />
          ))}
        </ul>
      )}
      {budget.otherCurrencies.length > 0 && (
        <p className="text-xs text-slate-500">Also spent in other currencies (not counted against the budget): {budget.otherCurrencies.map((o) => formatMoney(o.amount, o.currency)).join(", ")}.</p>
      )}
      {lines.length > 0 && <p className="text-xs text-slate-500">{budget.enforce ? "Launches beyond what is left are refused." : "Launches beyond the budget are warned about, not refused."}</p>}
    </div>
  );
}
