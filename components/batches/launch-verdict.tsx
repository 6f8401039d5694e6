"use client";
// Beside the launch form's pickers: whether the chosen connection takes the chosen file, asked of the
// server as soon as both are chosen (lib/batches/launch-check.ts: the checks launch makes, every line
// included), and what it was checked against. What the browser can tell at once (the profile's file
// limits) shows while the server reads the lines; a file that splitting fixes shows the plan.
import { useEffect, useState } from "react";
import { useTranslations } from "next-intl";
import { checkLaunchAction } from "@/lib/batches/actions";
import type { LaunchVerdict } from "@/lib/batches/launch-check";
import { formatBytes } from "@/lib/files/format";
import { num } from "./fetch-json";
import { useProviderLabel } from "@/components/ui/provider-label";

export type VerdictState = { status: "checking" } | { status: "ready"; verdict: LaunchVerdict } | { status: "error"; message: string };

/** Asks the server whenever the file, the connection or the dry run changes. */
export function useLaunchVerdict(input: { connectionId: string; inputFileId: string; endpoint: string; dryRun: boolean }): VerdictState {
  const t = useTranslations("launch.verdict");
  const unreachable = t("unreachable");
  const key = JSON.stringify(input);
  const [state, setState] = useState<{ key: string; value: VerdictState } | null>(null);
  useEffect(() => {
    let stale = false;
    checkLaunchAction(JSON.parse(key)).then(
      (res) => {
        if (!stale) setState({ key, value: res.ok ? { status: "ready", verdict: res.data } : { status: "error", message: res.message } });
      },
      () => {
        if (!stale) setState({ key, value: { status: "error", message: unreachable } });
      },
    );
    return () => {
      stale = true;
    };
  }, [key, unreachable]);
  return state?.key === key ? state.value : { status: "checking" };
}

type T = ReturnType<typeof useTranslations<"launch.verdict">>;

/** "50,000 requests, 200 MB per file, 6 MB per line, one model per batch". */
function limitsText(t: T, a: LaunchVerdict["against"]) {
  const limits = t("limits", { requests: num(a.maxRequests), file: formatBytes(a.maxFileBytes), line: formatBytes(a.maxLineBytes) });
  return a.oneModelPerBatch ? t("limitsOneModel", { limits }) : limits;
}

const box = "rounded-md px-3 py-2 text-sm ring-1";

/**
 * The verdict. `instant` is what the browser already knows is wrong (shown while the server checks);
 * `split` is the plan panel, shown when the verdict is that the file fits as several batches.
 */
export function LaunchVerdictPanel({
  state,
  connection,
  instant,
  split,
}: {
  state: VerdictState;
  connection: string;
  instant: string[];
  split: React.ReactNode;
}) {
  const t = useTranslations("launch.verdict");
  const providerName = useProviderLabel();
  // The browser knows at once when splitting fixes the file (splittable.ts, the server's rule too).
  if (split || (state.status === "ready" && state.verdict.verdict === "split")) return <div aria-live="polite">{split}</div>;
  if (state.status === "ready" && state.verdict.verdict === "valid") {
    const v = state.verdict;
    // A connection named as its provider ("Sandbox", "Sandbox (built in)") is named once.
    const named = v.against.provider.toLowerCase().startsWith(v.against.connection.trim().toLowerCase());
    return (
      <div role="status" aria-live="polite" className={`${box} bg-emerald-50 text-emerald-900 ring-emerald-200`}>
        <p className="font-medium">
          {named
            ? t("validProvider", { provider: providerName(v.against.provider), count: v.requests })
            : t("valid", { connection: v.against.connection, provider: providerName(v.against.provider), count: v.requests })}
        </p>
        <p className="mt-0.5 text-emerald-800">{t("checkedAgainst", { limits: limitsText(t, v.against) })}</p>
      </div>
    );
  }
  if (state.status === "ready" && state.verdict.verdict === "invalid") {
    return <Refused connection={connection} problems={[state.verdict.message]} limits={limitsText(t, state.verdict.against)} />;
  }
  if (instant.length) return <Refused connection={connection} problems={instant} />;
  if (state.status === "error") {
    return (
      <p role="status" className={`${box} bg-slate-50 text-slate-700 ring-slate-200`}>
        {t("checkFailed", { message: state.message })}
      </p>
    );
  }
  return (
    <p role="status" aria-live="polite" className={`${box} bg-slate-50 text-slate-600 ring-slate-200`}>
      {t("checking", { connection })}
    </p>
  );
}

function Refused({ connection, problems, limits }: { connection: string; problems: string[]; limits?: string }) {
  const t = useTranslations("launch.verdict");
  return (
    <div role="alert" className={`${box} bg-amber-50 text-amber-900 ring-amber-200`}>
      <p className="font-medium">{t("refused", { connection })}</p>
      <ul className="mt-1 list-disc break-words pl-5">
        {problems.map((m) => (
          <li key={m}>{m}</li>
        ))}
      </ul>
      {limits && <p className="mt-1 text-amber-800">{t("itsLimits", { limits })}</p>}
    </div>
  );
}
