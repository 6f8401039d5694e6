"use client";
// The summary of a batch, or of a job's batches together: succeeded and failed, errors by code,
// tokens and the actual cost (the results' tokens at the effective price). Read again whenever the
// number of stored results changes, so it follows an ingest in progress.
import Link from "next/link";
import { useQuery } from "@tanstack/react-query";
import { useTranslations } from "next-intl";
import { batchSummaryAction } from "@/lib/batches/read/summary.action";
import type { BatchSummary as Summary } from "@/lib/batches/read/summary";
import { useMoney } from "@/components/ui/money";
import { Card, CardHeader } from "@/components/ui/card";
import { num } from "./fetch-json";
import { useProviderLabel } from "@/components/ui/provider-label";

async function load(batchIds: string[]): Promise<Summary> {
  const res = await batchSummaryAction(batchIds);
  if (!res.ok) throw new Error(res.message);
  return res.data;
}

/** `version` changes when the results do (their count, say): the summary is read again then. */
export function BatchSummary({ batchIds, version, title }: { batchIds: string[]; version?: string | number; title?: string }) {
  const providerName = useProviderLabel();
  const formatMoney = useMoney();
  const t = useTranslations("batches.summary");
  const { data: s, error } = useQuery({
    queryKey: ["batch-summary", batchIds.join(","), version],
    queryFn: () => load(batchIds),
    placeholderData: (prev) => prev,
  });
  if (error) {
    return (
      <p role="status" className="rounded-md bg-slate-100 px-3 py-2 text-sm text-slate-600">
        {t("failed", { message: error.message })}
      </p>
    );
  }
  if (!s || s.results === 0) return null;
  const rate = s.results > 0 ? Math.round((s.succeeded / s.results) * 1000) / 10 : 0;
  return (
    <Card data-testid="batch-summary">
      <CardHeader title={title ?? t("title")} description={t("stored", { count: num(s.results) })} />
      <div className="grid gap-6 px-5 py-4 text-sm md:grid-cols-3">
        <section>
          <h3 className="text-xs font-medium uppercase tracking-wide text-slate-500">{t("outcome")}</h3>
          <p className="mt-1 text-slate-800">
            {t.rich("outcomeLine", {
              succeeded: num(s.succeeded),
              rate,
              failed: num(s.failed),
              ok: (chunks) => <span className="font-semibold text-emerald-700 tabular-nums">{chunks}</span>,
              bad: (chunks) => <span className={s.failed ? "font-semibold text-red-600 tabular-nums" : "tabular-nums"}>{chunks}</span>,
            })}
          </p>
          {s.errors.length > 0 && (
            <table className="mt-2 w-full text-xs">
              <caption className="sr-only">{t("errorsByCode")}</caption>
              <thead className="text-left text-slate-500">
                <tr>
                  <th className="py-0.5 font-medium">{t("errorCode")}</th>
                  <th className="py-0.5 text-right font-medium">{t("results")}</th>
                </tr>
              </thead>
              <tbody>
                {s.errors.map((e) => (
                  <tr key={e.code ?? ""}>
                    <td className="py-0.5 font-mono text-slate-700">{e.code ?? <span className="font-sans text-slate-400">{t("noCode")}</span>}</td>
                    <td className="py-0.5 text-right tabular-nums">{num(e.count)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </section>
        <section>
          <h3 className="text-xs font-medium uppercase tracking-wide text-slate-500">{t("tokens")}</h3>
          <dl className="mt-1 grid grid-cols-[1fr_auto] gap-x-4 gap-y-0.5 text-slate-800">
            <dt className="text-slate-600">{t("prompt")}</dt>
            <dd className="text-right tabular-nums">{num(s.tokens.prompt)}</dd>
            <dt className="text-slate-600">{t("completion")}</dt>
            <dd className="text-right tabular-nums">{num(s.tokens.completion)}</dd>
            <dt className="text-slate-600">{t("reasoning")}</dt>
            <dd className="text-right tabular-nums">{num(s.tokens.reasoning)}</dd>
            <dt className="font-medium">{t("total")}</dt>
            <dd className="text-right font-medium tabular-nums">{num(s.tokens.total)}</dd>
          </dl>
          <p className="mt-1 text-xs text-slate-500">{t("tokensNote")}</p>
        </section>
        <section>
          <h3 className="text-xs font-medium uppercase tracking-wide text-slate-500">{t("actualCost")}</h3>
          {s.cost.length > 0 ? (
            <p className="mt-1 text-lg font-semibold text-slate-900 tabular-nums" data-testid="actual-cost">
              {s.cost.map((c) => formatMoney(c.amount, c.currency)).join(" + ")}
            </p>
          ) : (
            <p className="mt-1 text-slate-500">—</p>
          )}
          <ul className="mt-1 space-y-0.5 text-xs text-slate-500">
            {s.lines.map((l) => (
              <li key={`${l.providerKind}:${l.model}:${l.window}`}>
                {t.rich("costLine", { model: l.model ?? t("unknownModel"), provider: providerName(l.providerLabel), window: l.window, mono: (chunks) => <span className="font-mono">{chunks}</span> })}{" "}
                {l.price ? (
                  t("priced", {
                    cost: formatMoney(l.cost ?? 0, l.price.currency),
                    input: formatMoney(l.price.inputPerMTok, l.price.currency),
                    output: formatMoney(l.price.outputPerMTok, l.price.currency),
                    origin: l.price.origin === "team" ? "team" : "builtin",
                  })
                ) : (
                  <span className="text-amber-800">
                    {t.rich("noPrice", {
                      count: num(l.results),
                      link: (chunks) => (
                        <Link href="/prices" className="underline">
                          {chunks}
                        </Link>
                      ),
                    })}
                  </span>
                )}
              </li>
            ))}
          </ul>
        </section>
      </div>
    </Card>
  );
}
