"use client";
// The launch form's way out of "this file is over the provider's limits": when splitting fixes what
// is wrong, the plan the server makes (lib/batches/split.ts, the same cuts launch will make) is
// shown here, and the form launches the file as that many batches (one job).
import { useEffect, useState } from "react";
import type { SplitPlanView } from "@/lib/batches/jobs";
import { planSplitAction } from "@/lib/batches/actions";
import type { ProviderProfile } from "@/lib/providers/profile";
import { checkFileForProfile, type FileFacts } from "@/lib/providers/checks";
import { formatBytes } from "@/lib/files/format";
import { num } from "@/components/batches/fetch-json";

/** Whether splitting the file into parts would make every problem the profile finds go away. */
export function splitCanFix(p: ProviderProfile, f: FileFacts): boolean {
  if (!p.capabilities.split || checkFileForProfile(p, f).length === 0) return false;
  // The file as one part of one model: anything still wrong then, no split fixes.
  const groups = p.limits.oneModelPerBatch ? f.models.map((m) => [m]) : [f.models];
  return groups.every((models) => checkFileForProfile(p, { endpoint: f.endpoint, requestCount: 1, models }).length === 0);
}

type State = { status: "loading" } | { status: "ready"; plan: SplitPlanView } | { status: "error"; message: string };

/** Asks the server for the plan whenever the file or the connection changes. */
export function useSplitPlan(enabled: boolean, connectionId: string, inputFileId: string, endpoint: string): State | null {
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
        if (!stale) setState({ key, value: { status: "error", message: "Could not work out how to split this file. Reload the page and try again." } });
      },
    );
    return () => {
      stale = true;
    };
  }, [enabled, key, connectionId, inputFileId, endpoint]);
  if (!enabled) return null;
  return state?.key === key ? state.value : { status: "loading" };
}

function limitWords(plan: SplitPlanView, providerLabel: string): string {
  const words = plan.reasons.map((r) =>
    r === "requests" ? `${num(plan.maxRequests)} requests` : r === "bytes" ? formatBytes(plan.maxFileBytes) : "one model",
  );
  return `${providerLabel}'s limit of ${words.join(" / ") || plan.limits} per batch`;
}

const SHOWN = 8;

/** "3 batches", "1 batch". */
export const batchesText = (n: number) => `${num(n)} batch${n === 1 ? "" : "es"}`;

/** The plan: why, how many parts, and each part's lines, requests and size. */
export function SplitPlanPanel({ state, providerLabel }: { state: State; providerLabel: string }) {
  if (state.status === "loading") {
    return (
      <div role="status" className="rounded-md bg-sky-50 px-3 py-3 text-sm text-sky-900 ring-1 ring-sky-200">
        This file is over {providerLabel}&apos;s limits. Working out how to launch it as several batches…
      </div>
    );
  }
  if (state.status === "error") {
    return (
      <div role="alert" className="rounded-md bg-amber-50 px-3 py-2 text-sm text-amber-900 ring-1 ring-amber-200">
        <p className="font-medium">This file cannot be launched on this connection, not even split into several batches.</p>
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
    <div role="status" aria-label="Split plan" className="rounded-md bg-sky-50 px-3 py-3 text-sm text-sky-950 ring-1 ring-sky-200">
      <p className="font-medium">
        This file is over {limitWords(plan, providerLabel)}: launch it as {batchesText(k)} (parts of about {num(avgRequests)} requests, {formatBytes(avgBytes)}).
      </p>
      <p className="mt-1 text-sky-900">
        Each part is a batch of its own, in file order; together they form one job with combined progress and results. The parts keep to{" "}
        {plan.limits}.
      </p>
      <div className="mt-2 overflow-x-auto rounded bg-white ring-1 ring-sky-100">
        <table className="min-w-full text-left text-xs">
          <thead className="bg-sky-50/60 text-sky-900">
            <tr>
              <th scope="col" className="px-2 py-1.5 font-medium">Part</th>
              <th scope="col" className="px-2 py-1.5 font-medium">Lines</th>
              <th scope="col" className="px-2 py-1.5 text-right font-medium">Requests</th>
              <th scope="col" className="px-2 py-1.5 text-right font-medium">Size</th>
              {models && <th scope="col" className="px-2 py-1.5 font-medium">Model</th>}
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
        {k > SHOWN && <p className="px-2 py-1 text-xs text-slate-500">…and {num(k - SHOWN)} more parts.</p>}
      </div>
    </div>
  );
}
