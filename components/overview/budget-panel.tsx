// This month's spend against the team's and each connection's budget, with the 80% and 100% warnings.
import Link from "next/link";
import { useFormatter, useTranslations } from "next-intl";
import type { BudgetLine, BudgetStatus } from "@/lib/budgets/levels";
import { useMoney } from "@/components/ui/money";
import { cn } from "@/components/ui/cn";

const TONE = { ok: "bg-emerald-500", warning: "bg-amber-500", over: "bg-red-600" } as const;

function Line({ l, currency }: { l: BudgetLine; currency: string }) {
  const formatMoney = useMoney();
  const t = useTranslations("overview.budget");
  // The team's own line has no connection: its name is the reader's word for "Team".
  const name = l.connectionId ? l.name : t("team");
  return (
    <li className="space-y-1">
      <div className="flex items-baseline justify-between gap-3 text-sm">
        <span className="font-medium text-slate-800">{name}</span>
        <span className="tabular-nums text-slate-600">
          {t("spentOf", { spent: formatMoney(l.spent, currency), budget: formatMoney(l.budget, currency) })}
        </span>
      </div>
      <div className="h-2 overflow-hidden rounded-full bg-slate-100" role="meter" aria-valuemin={0} aria-valuemax={100} aria-valuenow={Math.round(l.percent)} aria-label={t("used", { name })}>
        <div className={cn("h-full", TONE[l.level])} style={{ width: `${Math.min(100, l.percent)}%` }} />
      </div>
      {l.level !== "ok" && (
        <p role="status" className={cn("text-xs font-medium", l.level === "over" ? "text-red-700" : "text-amber-700")}>
          {l.level === "over" ? t("usedUp", { percent: Math.floor(l.percent) }) : t("warning", { percent: Math.floor(l.percent), left: formatMoney(l.left, currency) })}
        </p>
      )}
    </li>
  );
}

export function BudgetPanel({ budget, canManage }: { budget: BudgetStatus; canManage: boolean }) {
  const formatMoney = useMoney();
  const t = useTranslations("overview.budget");
  const format = useFormatter();
  const lines = [budget.team, ...budget.connections].filter((l): l is BudgetLine => Boolean(l));
  const month = format.dateTime(new Date(`${budget.month}-01T00:00:00Z`), { year: "numeric", month: "long", timeZone: "UTC" });
  return (
    <div className="space-y-3">
      {lines.length === 0 ? (
        <p className="text-sm text-slate-500">
          {t("none", { spent: formatMoney(budget.spent, budget.currency), month })}{" "}
          {canManage && (
            <Link href="/team#budget" className="text-brand-700 hover:underline">
              {t("set")}
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
        <p className="text-xs text-slate-500">{t("otherCurrencies", { amounts: format.list(budget.otherCurrencies.map((o) => formatMoney(o.amount, o.currency))) })}</p>
      )}
      {lines.length > 0 && <p className="text-xs text-slate-500">{budget.enforce ? t("enforced") : t("warnedOnly")}</p>}
    </div>
  );
}
