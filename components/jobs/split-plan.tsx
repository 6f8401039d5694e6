"use client";
// The launch form's way out of "this file is over the provider's limits": when splitting fixes what
// is wrong (lib/batches/splittable.ts says when), the plan the server makes (lib/batches/split.ts,
// the same cuts launch will make) is shown here, and the form launches the file as that many
// batches (one job).
import { useEffect, useState } from "react";
import { useTranslations } from "next-intl";
import type { SplitPlanView } from "@/lib/batches/jobs";
import { planSplitAction } from "@/lib/batches/actions";
import { formatBytes } from "@/lib/files/format";
import { num } from "@/components/batches/fetch-json";

type State = { status: "loading" } | { status: "ready"; plan: SplitPlanView } | { status: "error"; message: string };

/** Asks the server for the plan whenever the file or the connection changes. */
export function useSplitPlan(enabled: boolean, connectionId: string, inputFileId: string, endpoint: string): State | null {
  const t = useTranslations("launch.split");
  const unreachable = t("unreachable");
  const [state, setState] = useState<{ key: string; value: State } | null>(null);
  const key = `${connectionId}:${inputFileId}`;
  useEffect(() => {
    if (!enabled) return;
    let stale = false;
    planSplitAction({ connectionId, inputFileId, endpoint }).then(
      (res) => {
        if (!stale) setState({ key, value: res.ok ? { status: "ready", plan: res.data } : { status: "error", message: res.message } });
      },
      () => {
        if (!stale) setState({ key, value: { status: "error", message: unreachable } });
      },
    );
    return () => {
      stale = true;
    };
  }, [enabled, key, connectionId, inputFileId, endpoint, unreachable]);
  if (!enabled) return null;
  return state?.key === key ? state.value : { status: "loading" };
}

type T = ReturnType<typeof useTranslations<"launch.split">>;

function limitWords(t: T, plan: SplitPlanView, providerLabel: string): string {
  const words = plan.reasons.map((r) => (r === "requests" ? t("requests", { count: plan.maxRequests }) : r === "bytes" ? formatBytes(plan.maxFileBytes) : t("oneModel")));
  return t("limitOf", { provider: providerLabel, limit: words.join(" / ") || plan.limits });
}

const SHOWN = 8;

/** The plan: why, how many parts, and each part's lines, requests and size. */
export function SplitPlanPanel({ state, providerLabel }: { state: State; providerLabel: string }) {
  const t = useTranslations("launch.split");
  if (state.status === "loading") {
    return (
      <div role="status" className="rounded-md bg-sky-50 px-3 py-3 text-sm text-sky-900 ring-1 ring-sky-200">
        {t("working", { provider: providerLabel })}
      </div>
    );
  }
  if (state.status === "error") {
    return (
      <div role="alert" className="rounded-md bg-amber-50 px-3 py-2 text-sm text-amber-900 ring-1 ring-amber-200">
        <p className="font-medium">{t("cannot")}</p>
        <p className="mt-1 break-words">{state.message}</p>
      </div>
    );
  }
  const { plan } = state;
  const k = plan.parts.length;
  const avgRequests = Math.round(plan.requests / k);
  const avgBytes = Math.round(plan.bytes / k);
  const models = plan.oneModelPerBatch && plan.parts.some((p) => p.model);
  return (
    <div role="status" aria-label={t("label")} className="rounded-md bg-sky-50 px-3 py-3 text-sm text-sky-950 ring-1 ring-sky-200">
      <p className="font-medium">
        {t("over", { limit: limitWords(t, plan, providerLabel), parts: k, requests: avgRequests, bytes: formatBytes(avgBytes) })}
      </p>
      <p className="mt-1 text-sky-900">{t("parts", { limits: plan.limits })}</p>
      <div className="mt-2 overflow-x-auto rounded bg-white ring-1 ring-sky-100">
        <table className="min-w-full text-left text-xs">
          <thead className="bg-sky-50/60 text-sky-900">
            <tr>
              <th scope="col" className="px-2 py-1.5 font-medium">{t("part")}</th>
              <th scope="col" className="px-2 py-1.5 font-medium">{t("lines")}</th>
              <th scope="col" className="px-2 py-1.5 text-right font-medium">{t("requestsHeader")}</th>
              <th scope="col" className="px-2 py-1.5 text-right font-medium">{t("size")}</th>
              {models && <th scope="col" className="px-2 py-1.5 font-medium">{t("model")}</th>}
            </tr>
          </thead>
          <tbody className="divide-y divide-sky-50 tabular-nums text-slate-700">
            {plan.parts.slice(0, SHOWN).map((p) => (
              <tr key={p.part}>
                <td className="px-2 py-1">{p.part}</td>
                <td className="px-2 py-1">
                  {num(p.fromLine)}–{num(p.toLine)}
                </td>
                <td className="px-2 py-1 text-right">{num(p.requests)}</td>
                <td className="px-2 py-1 text-right">{formatBytes(p.bytes)}</td>
                {models && <td className="px-2 py-1 font-mono">{p.model}</td>}
              </tr>
            ))}
          </tbody>
        </table>
        {k > SHOWN && <p className="px-2 py-1 text-xs text-slate-500">{t("more", { count: k - SHOWN })}</p>}
      </div>
    </div>
  );
}
