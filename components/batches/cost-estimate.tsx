"use client";
// What a file will cost before it is launched: its input tokens (exact with an OpenAI model's own
// tokenizer, an estimate otherwise, and it says which), the output its requests allow, and the cost
// on every connection of the team side by side, the chosen one first. The server counts the file
// once (then caches the counts); changing the assumed output length is arithmetic done here.
import Link from "next/link";
import { useState } from "react";
import { useQuery } from "@tanstack/react-query";
import { useTranslations } from "next-intl";
import { estimateCostAction } from "@/lib/pricing/actions";
import type { CostEstimate as Estimate, ConnectionEstimate } from "@/lib/pricing/estimate";
import { connectionCost } from "@/lib/pricing/cost";
import { useMoney } from "@/components/ui/money";
import type { PriceMatch } from "@/lib/pricing/match";
import { afterLaunch, type BudgetStatus } from "@/lib/budgets/levels";
import { cn } from "@/components/ui/cn";
import { num } from "./fetch-json";
import { useProviderLabel } from "@/components/ui/provider-label";
import { connectionLabel } from "@/lib/providers/profile";

type Loaded = Estimate & { budget: BudgetStatus };

async function load(fileId: string, window: string): Promise<Loaded> {
  const res = await estimateCostAction({ fileId, window });
  if (!res.ok) throw new Error(res.message);
  return res.data;
}

const perM = (p: PriceMatch, formatMoney: (n: number, c: string) => string) => `${formatMoney(p.inputPerMTok, p.currency)} / ${formatMoney(p.outputPerMTok, p.currency)}`;

export function CostEstimate({ fileId, completionWindow, connectionId }: { fileId: string; completionWindow: string; connectionId?: string }) {
  const { data, error, isPending } = useQuery({
    queryKey: ["cost-estimate", fileId, completionWindow],
    queryFn: () => load(fileId, completionWindow),
    staleTime: 60_000,
    refetchOnWindowFocus: false,
  });
  const [assumed, setAssumed] = useState<number | null>(null);
  const t = useTranslations("launch.cost");

  return (
    <section aria-labelledby="cost-estimate-title" className="rounded-md bg-slate-50 px-4 py-3 text-sm ring-1 ring-slate-200" data-testid="cost-estimate">
      <div className="flex flex-wrap items-baseline justify-between gap-2">
        <h3 id="cost-estimate-title" className="font-medium text-slate-900">
          {t("title")}
        </h3>
        <Link href="/prices" className="text-xs font-medium text-brand-700 hover:underline">
          {t("prices")}
        </Link>
      </div>
      {isPending && (
        <p className="mt-1 text-slate-500" role="status">
          {t("counting")}
        </p>
      )}
      {error && (
        <p className="mt-1 text-red-700" role="alert">
          {t("failed", { message: error.message })}
        </p>
      )}
      {data && <Body data={data} connectionId={connectionId} assumed={assumed ?? data.defaultAssumedOutput} setAssumed={setAssumed} />}
    </section>
  );
}

function Body({ data, connectionId, assumed, setAssumed }: { data: Loaded; connectionId?: string; assumed: number; setAssumed: (n: number) => void }) {
  const models = data.tokens.models;
  const input = models.reduce((a, m) => a + m.inputTokens, 0);
  const ceiling = models.reduce((a, m) => a + m.maxOutputTokens, 0);
  const withoutMax = data.hasOutput ? models.reduce((a, m) => a + m.withoutMax, 0) : 0;
  const media = models.reduce((a, m) => a + m.media, 0);
  const output = ceiling + withoutMax * assumed;
  const estimated = models.some((m) => !m.exact);
  const connections = [...data.connections].sort((a, b) => Number(b.id === connectionId) - Number(a.id === connectionId));
  const t = useTranslations("launch.cost");

  return (
    <div className="mt-2 space-y-3">
      <dl className="grid gap-x-6 gap-y-1 sm:grid-cols-[auto_1fr]">
        <dt className="text-slate-500">{t("input")}</dt>
        <dd className="text-slate-800">
          <span className="font-medium tabular-nums">
            {estimated ? "≈ " : ""}
            {t("tokens", { count: num(input) })}
          </span>{" "}
          {t("overRequests", { count: data.tokens.requests })}
          <ul className="mt-0.5 space-y-0.5 text-xs text-slate-500">
            {models.map((m) => (
              <li key={m.model ?? ""}>
                <span className="font-mono">{m.model ?? t("noModel")}</span>: {t("tokensComma", { count: num(m.inputTokens) })}{" "}
                <span className={m.exact ? "text-emerald-700" : "text-amber-700"}>
                  {m.exact ? t("methodExact", { encoding: m.encoding }) : m.model ? t("methodStandIn", { model: m.model, encoding: m.encoding }) : t("methodNoModel", { encoding: m.encoding })}
                </span>
              </li>
            ))}
            <li>{t("chatOverhead")}</li>
            {media > 0 && <li className="text-amber-700">{t("media", { count: num(media) })}</li>}
          </ul>
        </dd>
        <dt className="text-slate-500">{t("output")}</dt>
        <dd className="text-slate-800">
          {!data.hasOutput ? (
            <span>{t("noOutput", { endpoint: data.file.endpoint })}</span>
          ) : (
            <>
              <span className="font-medium tabular-nums">
                {withoutMax > 0 ? `≈ ${t("tokens", { count: num(output) })}` : t("atMost", { count: num(output) })}
              </span>
              <ul className="mt-0.5 space-y-0.5 text-xs text-slate-500">
                {ceiling > 0 && (
                  <li>
                    {t("ceiling", { tokens: num(ceiling), requests: num(data.tokens.requests - withoutMax) })}
                  </li>
                )}
                {withoutMax > 0 && (
                  <li>
                    <label className="inline-flex flex-wrap items-center gap-1">
                      {t("withoutMax", { count: num(withoutMax) })}
                      <input
                        type="number"
                        min={0}
                        max={1_000_000}
                        step={50}
                        value={assumed}
                        onChange={(e) => setAssumed(Math.max(0, Math.min(1_000_000, Number(e.target.value) || 0)))}
                        className="w-20 rounded border-0 bg-white px-1.5 py-0.5 text-xs tabular-nums ring-1 ring-slate-300"
                        aria-label={t("assumedLabel")}
                      />
                      {t("tokensEach")}
                    </label>
                  </li>
                )}
              </ul>
            </>
          )}
        </dd>
      </dl>

      <div className="relative overflow-x-auto">
        <table className="w-full text-left text-xs">
          <thead className="text-slate-500">
            <tr className="[&>th]:whitespace-nowrap">
              <th className="py-1 pr-3 font-medium">{t("connection")}</th>
              <th className="py-1 pr-3 font-medium">{t("window")}</th>
              <th className="py-1 pr-3 font-medium">{t("pricePerM")}</th>
              <th className="py-1 pr-3 text-right font-medium">{t("input")}</th>
              <th className="py-1 pr-3 text-right font-medium">{t("output")}</th>
              <th className="py-1 text-right font-medium">{t("total")}</th>
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-200">
            {connections.map((c) => (
              <Row key={c.id} c={c} data={data} assumed={assumed} chosen={c.id === connectionId} />
            ))}
          </tbody>
        </table>
      </div>
      {connectionId && <BudgetCheck data={data} connectionId={connectionId} assumed={assumed} />}
      <p className="text-xs text-slate-500">
        {t.rich("pricesNote", {
          link: (chunks) => (
            <Link href="/prices" className="text-brand-700 hover:underline">
              {chunks}
            </Link>
          ),
        })}
      </p>
    </div>
  );
}

function Row({ c, data, assumed, chosen }: { c: ConnectionEstimate; data: Estimate; assumed: number; chosen: boolean }) {
  const providerName = useProviderLabel();
  const cost = connectionCost(data.tokens.models, c, data.hasOutput ? assumed : 0);
  const priced = c.prices.filter((p) => p.price);
  const label = connectionLabel(c.name, providerName(c.providerLabel));
  const t = useTranslations("launch.cost");
  const formatMoney = useMoney();
  const sources = [...new Set(priced.map((p) => (p.price!.origin === "team" ? t("teamPrice") : t("builtInPrice"))))];
  return (
    <tr className={cn(chosen && "bg-white font-medium")} data-testid="cost-row">
      <td className="py-1.5 pr-3 align-top text-slate-800">
        {label}
        {chosen && <span className="ml-1 text-[11px] font-normal text-brand-700">{t("chosen")}</span>}
        {c.imitation && <span className="block text-[11px] font-normal text-slate-500">{t("imitation")}</span>}
        {cost.missing.map((m) => (
          <span key={m ?? ""} className="block font-normal text-amber-800">
            {t.rich(m ? "noPrice" : "noPriceNoModel", {
              model: m ?? "",
              provider: providerName(c.providerLabel),
              mono: (chunks) => <span className="font-mono">{chunks}</span>,
              link: (chunks) => (
                <Link href="/prices" className="underline">
                  {chunks}
                </Link>
              ),
            })}
          </span>
        ))}
      </td>
      <td className="py-1.5 pr-3 align-top text-slate-600">
        {c.window}
        {c.windowNote && <span className="block text-[11px] font-normal text-slate-500">{c.windowNote}</span>}
      </td>
      <td className="py-1.5 pr-3 align-top text-slate-600 tabular-nums">
        {priced.map((p) => (
          <span key={p.model ?? ""} className="block">
            {perM(p.price!, formatMoney)}
            {priced.length > 1 && <span className="font-mono text-slate-400"> {p.model}</span>}
            {p.price!.derived && <span className="block text-[11px] font-normal text-slate-500">{p.price!.derived}</span>}
          </span>
        ))}
        {sources.length > 0 && <span className="block text-[11px] font-normal text-slate-400">{sources.join(", ")}</span>}
      </td>
      <Money cost={cost} k="input" />
      <Money cost={cost} k="output" />
      <Money cost={cost} k="total" strong partial={cost.missing.length > 0 && cost.amounts.length > 0} />
    </tr>
  );
}

function Money({ cost, k, strong, partial }: { cost: ReturnType<typeof connectionCost>; k: "input" | "output" | "total"; strong?: boolean; partial?: boolean }) {
  const formatMoney = useMoney();
  const t = useTranslations("launch.cost");
  return (
    <td className={cn("py-1.5 align-top text-right tabular-nums", k !== "total" && "pr-3", strong ? "text-slate-900" : "text-slate-600")}>
      {cost.amounts.length === 0
        ? "—"
        : cost.amounts.map((a) => (
            <span key={a.currency} className="block">
              {formatMoney(a[k], a.currency)}
            </span>
          ))}
      {partial && <span className="block text-[11px] font-normal text-amber-800">{t("partial")}</span>}
    </td>
  );
}

/** The estimate against what is left of this month's budgets that apply to the chosen connection. */
function BudgetCheck({ data, connectionId, assumed }: { data: Loaded; connectionId: string; assumed: number }) {
  const formatMoney = useMoney();
  const t = useTranslations("launch.cost");
  const c = data.connections.find((x) => x.id === connectionId);
  if (!c) return null;
  const cost = connectionCost(data.tokens.models, c, data.hasOutput ? assumed : 0);
  const estimate = cost.amounts.find((a) => a.currency === data.budget.currency)?.total ?? null;
  const lines = afterLaunch(data.budget, connectionId, estimate);
  if (lines.length === 0) return null;
  const money = (n: number) => formatMoney(n, data.budget.currency);
  return (
    <ul className="space-y-1" aria-label={t("budget")}>
      {lines.map(({ line, levelAfter, refused, percentAfter }) => {
        const whose = line.connectionId ? t("connectionBudget", { name: line.name }) : t("teamBudget");
        const text =
          estimate === null
            ? t("budgetOtherCurrency", { whose, left: money(line.left), budget: money(line.budget), currency: data.budget.currency })
            : t("budgetAfter", { whose, left: money(line.left), budget: money(line.budget), estimate: money(estimate), percent: Math.floor(percentAfter) });
        return (
          <li
            key={line.connectionId ?? "team"}
            role={levelAfter === "ok" ? undefined : "alert"}
            className={cn(
              "rounded px-2 py-1 text-xs",
              refused ? "bg-red-50 font-medium text-red-800" : levelAfter === "over" ? "bg-red-50 text-red-800" : levelAfter === "warning" ? "bg-amber-50 text-amber-900" : "text-slate-600",
            )}
          >
            {text}
            {refused ? ` ${t("willRefuse")}` : levelAfter === "over" ? ` ${t("overBudget")}` : ""}
          </li>
        );
      })}
    </ul>
  );
}
