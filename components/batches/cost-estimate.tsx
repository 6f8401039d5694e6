"use client";
// What a file will cost before it is launched: its input tokens (exact with an OpenAI model's own
// tokenizer, an estimate otherwise, and it says which), the output its requests allow, and the cost
// on every connection of the team side by side, the chosen one first. The server counts the file
// once (then caches the counts); changing the assumed output length is arithmetic done here.
import Link from "next/link";
import { useState } from "react";
import { useQuery } from "@tanstack/react-query";
import { estimateCostAction } from "@/lib/pricing/actions";
import type { CostEstimate as Estimate, ConnectionEstimate } from "@/lib/pricing/estimate";
import { connectionCost, formatMoney } from "@/lib/pricing/cost";
import type { PriceMatch } from "@/lib/pricing/match";
import { afterLaunch, type BudgetStatus } from "@/lib/budgets/levels";
import { cn } from "@/components/ui/cn";
import { num } from "./fetch-json";

type Loaded = Estimate & { budget: BudgetStatus };

async function load(fileId: string, window: string): Promise<Loaded> {
  const res = await estimateCostAction({ fileId, window });
  if (!res.ok) throw new Error(res.message);
  return res.data;
}

const perM = (p: PriceMatch) => `${formatMoney(p.inputPerMTok, p.currency)} / ${formatMoney(p.outputPerMTok, p.currency)}`;

export function CostEstimate({ fileId, completionWindow, connectionId }: { fileId: string; completionWindow: string; connectionId?: string }) {
  const { data, error, isPending } = useQuery({
    queryKey: ["cost-estimate", fileId, completionWindow],
    queryFn: () => load(fileId, completionWindow),
    staleTime: 60_000,
    refetchOnWindowFocus: false,
  });
  const [assumed, setAssumed] = useState<number | null>(null);

  return (
    <section aria-labelledby="cost-estimate-title" className="rounded-md bg-slate-50 px-4 py-3 text-sm ring-1 ring-slate-200" data-testid="cost-estimate">
      <div className="flex flex-wrap items-baseline justify-between gap-2">
        <h3 id="cost-estimate-title" className="font-medium text-slate-900">
          Cost estimate
        </h3>
        <Link href="/prices" className="text-xs font-medium text-brand-700 hover:underline">
          Prices
        </Link>
      </div>
      {isPending && (
        <p className="mt-1 text-slate-500" role="status">
          Counting the file&apos;s tokens… (a few seconds for a large file the first time; the counts are kept after that)
        </p>
      )}
      {error && (
        <p className="mt-1 text-red-700" role="alert">
          Could not estimate the cost: {error.message}
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

  return (
    <div className="mt-2 space-y-3">
      <dl className="grid gap-x-6 gap-y-1 sm:grid-cols-[auto_1fr]">
        <dt className="text-slate-500">Input</dt>
        <dd className="text-slate-800">
          <span className="font-medium tabular-nums">
            {estimated ? "≈ " : ""}
            {num(input)} tokens
          </span>{" "}
          over {num(data.tokens.requests)} requests
          <ul className="mt-0.5 space-y-0.5 text-xs text-slate-500">
            {models.map((m) => (
              <li key={m.model ?? ""}>
                <span className="font-mono">{m.model ?? "no model"}</span>: {num(m.inputTokens)} tokens,{" "}
                <span className={m.exact ? "text-emerald-700" : "text-amber-700"}>{m.method}</span>
              </li>
            ))}
            <li>Chat requests include 3 tokens a message and 3 for the reply, as OpenAI counts them.</li>
            {media > 0 && <li className="text-amber-700">{num(media)} image or audio parts are not counted: their tokens depend on their size.</li>}
          </ul>
        </dd>
        <dt className="text-slate-500">Output</dt>
        <dd className="text-slate-800">
          {!data.hasOutput ? (
            <span>none ({data.file.endpoint} returns no generated text)</span>
          ) : (
            <>
              <span className="font-medium tabular-nums">
                {withoutMax > 0 ? "≈ " : "at most "}
                {num(output)} tokens
              </span>
              <ul className="mt-0.5 space-y-0.5 text-xs text-slate-500">
                {ceiling > 0 && (
                  <li>
                    {num(ceiling)} from the max_tokens of {num(data.tokens.requests - withoutMax)} requests (a ceiling: answers are often shorter)
                  </li>
                )}
                {withoutMax > 0 && (
                  <li>
                    <label className="inline-flex flex-wrap items-center gap-1">
                      {num(withoutMax)} requests set no max_tokens, so their output is unknown; assumed
                      <input
                        type="number"
                        min={0}
                        max={1_000_000}
                        step={50}
                        value={assumed}
                        onChange={(e) => setAssumed(Math.max(0, Math.min(1_000_000, Number(e.target.value) || 0)))}
                        className="w-20 rounded border-0 bg-white px-1.5 py-0.5 text-xs tabular-nums ring-1 ring-slate-300"
                        aria-label="Assumed output tokens per request without max_tokens"
                      />
                      tokens each
                    </label>
                  </li>
                )}
              </ul>
            </>
          )}
        </dd>
      </dl>

      <div className="overflow-x-auto">
        <table className="w-full text-left text-xs">
          <thead className="text-slate-500">
            <tr>
              <th className="py-1 pr-3 font-medium">Connection</th>
              <th className="py-1 pr-3 font-medium">Window</th>
              <th className="py-1 pr-3 font-medium">Price in / out per 1M</th>
              <th className="py-1 pr-3 text-right font-medium">Input</th>
              <th className="py-1 pr-3 text-right font-medium">Output</th>
              <th className="py-1 text-right font-medium">Total</th>
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
        Batch prices from the built-in table (providers&apos; public list prices, which change: an admin should check them) or your team&apos;s own on
        the <Link href="/prices" className="text-brand-700 hover:underline">Prices</Link> page. Each provider&apos;s cost is in its own currency, not
        converted.
      </p>
    </div>
  );
}

function Row({ c, data, assumed, chosen }: { c: ConnectionEstimate; data: Estimate; assumed: number; chosen: boolean }) {
  const cost = connectionCost(data.tokens.models, c, data.hasOutput ? assumed : 0);
  const priced = c.prices.filter((p) => p.price);
  const label = c.name === c.providerLabel || c.providerLabel.startsWith(c.name) ? c.providerLabel : `${c.name} (${c.providerLabel})`;
  const sources = [...new Set(priced.map((p) => (p.price!.origin === "team" ? "your team's price" : "built-in")))];
  return (
    <tr className={cn(chosen && "bg-white font-medium")} data-testid="cost-row">
      <td className="py-1.5 pr-3 align-top text-slate-800">
        {label}
        {chosen && <span className="ml-1 text-[11px] font-normal text-brand-700">(chosen)</span>}
        {c.imitation && <span className="block text-[11px] font-normal text-slate-500">Sandbox imitation: no charge; the real provider&apos;s price</span>}
        {cost.missing.map((m) => (
          <span key={m ?? ""} className="block font-normal text-amber-800">
            No price for {m ? <span className="font-mono">{m}</span> : "requests without a model"} on {c.providerLabel}:{" "}
            <Link href="/prices" className="underline">
              add one on the Prices page
            </Link>
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
            {perM(p.price!)}
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
  return (
    <td className={cn("py-1.5 align-top text-right tabular-nums", k !== "total" && "pr-3", strong ? "text-slate-900" : "text-slate-600")}>
      {cost.amounts.length === 0
        ? "—"
        : cost.amounts.map((a) => (
            <span key={a.currency} className="block">
              {formatMoney(a[k], a.currency)}
            </span>
          ))}
      {partial && <span className="block text-[11px] font-normal text-amber-800">priced models only</span>}
    </td>
  );
}

/** The estimate against what is left of this month's budgets that apply to the chosen connection. */
function BudgetCheck({ data, connectionId, assumed }: { data: Loaded; connectionId: string; assumed: number }) {
  const c = data.connections.find((x) => x.id === connectionId);
  if (!c) return null;
  const cost = connectionCost(data.tokens.models, c, data.hasOutput ? assumed : 0);
  const estimate = cost.amounts.find((a) => a.currency === data.budget.currency)?.total ?? null;
  const lines = afterLaunch(data.budget, connectionId, estimate);
  if (lines.length === 0) return null;
  const money = (n: number) => formatMoney(n, data.budget.currency);
  return (
    <ul className="space-y-1" aria-label="Budget">
      {lines.map(({ line, levelAfter, refused, percentAfter }) => {
        const whose = line.connectionId ? `${line.name}'s budget` : "The team's budget";
        const text =
          estimate === null
            ? `${whose}: ${money(line.left)} left of ${money(line.budget)} this month (this estimate is not in ${data.budget.currency}).`
            : `${whose}: ${money(line.left)} left of ${money(line.budget)} this month; this launch ≈ ${money(estimate)} would bring it to ${Math.floor(percentAfter)}%.`;
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
            {refused ? " Launching will be refused: the team refuses launches beyond its budget." : levelAfter === "over" ? " Over budget (not refused)." : ""}
          </li>
        );
      })}
    </ul>
  );
}
