// The comparison at a glance: the share of changed answers, what only one side has or failed,
// tokens of each side with the difference, and the cost difference once a price is known.
import Link from "next/link";
import { useFormatter, useTranslations } from "next-intl";
import type { CompareSummary, TokenTotals } from "@/lib/compare/types";
import { Card } from "@/components/ui/card";
import { cn } from "@/components/ui/cn";
import { useMoney } from "@/components/ui/money";

/** Counts, signed differences and shares in the app's language. */
function useNumbers() {
  const format = useFormatter();
  const t = useTranslations("compare.summary");
  const n = (v: number) => format.number(v);
  const signed = (v: number) => (v > 0 ? `+${n(v)}` : v < 0 ? `−${n(-v)}` : "0");
  const pct = (share: number) => format.number(Math.round(share * 1000) / 1000, { style: "percent", maximumFractionDigits: 1 });
  const change = (a: number, b: number) => {
    if (a === 0) return b === 0 ? "" : t("new");
    const r = (b - a) / a;
    return `${r > 0 ? "+" : r < 0 ? "−" : ""}${pct(Math.abs(r))}`;
  };
  return { n, signed, pct, change };
}

export function SummaryCards({ s, filterHref }: { s: CompareSummary; filterHref: (f: string) => string }) {
  const t = useTranslations("compare.summary");
  const { n, signed, pct, change } = useNumbers();
  const formatMoney = useMoney();
  return (
    <div className="grid gap-4 md:grid-cols-2 xl:grid-cols-4">
      <Card className="px-5 py-4">
        <p className="text-xs font-medium uppercase tracking-wide text-slate-500">{t("changed")}</p>
        <p className="mt-1 text-2xl font-semibold tabular-nums text-slate-900" data-testid="changed-share">
          {s.changedShare === null ? "—" : pct(s.changedShare)}
        </p>
        <p className="mt-1 text-sm text-slate-500">
          {s.bothAnswered === 0
            ? t("noneBoth")
            : t.rich("changedOf", {
                changed: s.changed,
                both: s.bothAnswered,
                link: (chunks) => (
                  <Link href={filterHref("changed")} className="font-medium text-brand-700 hover:underline">
                    {chunks}
                  </Link>
                ),
              })}
        </p>
      </Card>
      <Card className="px-5 py-4">
        <p className="text-xs font-medium uppercase tracking-wide text-slate-500">{t("coverage")}</p>
        <dl className="mt-1.5 space-y-1 text-sm">
          <Line label={t("inBoth")} value={n(s.shared)} />
          <Line label={t("onlyA")} value={n(s.onlyA)} href={s.onlyA ? filterHref("only_a") : undefined} />
          <Line label={t("onlyB")} value={n(s.onlyB)} href={s.onlyB ? filterHref("only_b") : undefined} />
          <Line
            label={t("oneFailed")}
            value={s.oneFailed ? `${n(s.oneFailed)} (A ${n(s.failedInA)}, B ${n(s.failedInB)})` : "0"}
            href={s.oneFailed ? filterHref("one_failed") : undefined}
            tone={s.oneFailed ? "text-red-700" : undefined}
          />
          <Line label={t("bothFailed")} value={n(s.bothFailed)} href={s.bothFailed ? filterHref("both_failed") : undefined} />
        </dl>
      </Card>
      <Card className="px-5 py-4 xl:col-span-2">
        <p className="text-xs font-medium uppercase tracking-wide text-slate-500">{t("tokens")}</p>
        <TokenTable t={s.tokens} />
        {(s.onlyA > 0 || s.onlyB > 0 || s.oneFailed > 0 || s.bothFailed > 0) && (
          <p className="mt-2 text-xs text-slate-500">
            {t("sharedTokens", {
              both: s.bothAnswered,
              a: n(s.sharedTokens.a.total),
              b: n(s.sharedTokens.b.total),
              diff: `${signed(s.sharedTokens.diff.total)}${change(s.sharedTokens.a.total, s.sharedTokens.b.total) && `, ${change(s.sharedTokens.a.total, s.sharedTokens.b.total)}`}`,
            })}
          </p>
        )}
        <p className="mt-2 border-t border-slate-100 pt-2 text-sm" data-testid="cost-difference">
          <span className="text-slate-500">{t("cost")} </span>
          {s.cost ? (
            <span className="font-medium text-slate-900">
              A {formatMoney(s.cost.a, s.cost.currency)}, B {formatMoney(s.cost.b, s.cost.currency)} (B − A {s.cost.diff >= 0 ? "+" : "−"}
              {formatMoney(Math.abs(s.cost.diff), s.cost.currency)})
            </span>
          ) : (
            <span className="text-slate-500">{t("noCost")}</span>
          )}
        </p>
      </Card>
    </div>
  );
}

function Line({ label, value, href, tone }: { label: string; value: string; href?: string; tone?: string }) {
  return (
    <div className="flex items-baseline justify-between gap-3">
      <dt className="text-slate-500">{label}</dt>
      <dd className={cn("font-medium tabular-nums", tone ?? "text-slate-900")}>
        {href ? (
          <Link href={href} className="hover:underline">
            {value}
          </Link>
        ) : (
          value
        )}
      </dd>
    </div>
  );
}

function TokenTable({ t }: { t: { a: TokenTotals; b: TokenTotals; diff: TokenTotals } }) {
  const tr = useTranslations("compare.summary");
  const { n, signed, change } = useNumbers();
  const rows: [string, keyof TokenTotals][] = [
    [tr("prompt"), "prompt"],
    [tr("completion"), "completion"],
    [tr("ofWhichReasoning"), "reasoning"],
    [tr("total"), "total"],
  ];
  return (
    <table className="mt-1.5 w-full text-sm tabular-nums" aria-label={tr("tokensOfAB")}>
      <thead>
        <tr className="text-xs text-slate-500">
          <th scope="col" className="py-1 text-left font-normal">
            <span className="sr-only">{tr("kind")}</span>
          </th>
          <th scope="col" className="py-1 text-right font-medium">
            A
          </th>
          <th scope="col" className="py-1 text-right font-medium">
            B
          </th>
          <th scope="col" className="py-1 text-right font-medium">
            B − A
          </th>
        </tr>
      </thead>
      <tbody>
        {rows.map(([label, k]) => (
          <tr key={k} className={k === "total" ? "border-t border-slate-100 font-medium" : undefined}>
            <th scope="row" className={cn("py-0.5 text-left font-normal text-slate-500", k === "reasoning" && "pl-3 text-xs")}>
              {label}
            </th>
            <td className="py-0.5 text-right text-slate-900">{n(t.a[k])}</td>
            <td className="py-0.5 text-right text-slate-900">{n(t.b[k])}</td>
            <td className={cn("py-0.5 text-right", t.diff[k] > 0 ? "text-amber-800" : t.diff[k] < 0 ? "text-emerald-700" : "text-slate-500")}>
              {signed(t.diff[k])}
              {change(t.a[k], t.b[k]) && <span className="ml-1 text-xs text-slate-500">({change(t.a[k], t.b[k])})</span>}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
