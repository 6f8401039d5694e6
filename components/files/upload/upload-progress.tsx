"use client";
// An upload under way: the file, the three steps (Send, Check, Save; a CSV's conversion counts as
// checking), a bar for the current step and what it has done so far, and Cancel.
import { Button } from "@/components/ui/button";
import { cn } from "@/components/ui/cn";
import { useFormatter, useLocale, useTranslations } from "next-intl";
import { formatBytes } from "@/lib/files/format";
import type { InFlight } from "./use-upload";

const steps = ["send", "check", "save"] as const;

export function UploadProgress({ state, onCancel }: { state: InFlight; onCancel: () => void }) {
  const t = useTranslations("upload");
  const locale = useLocale();
  const format = useFormatter();
  const step = state.phase === "sending" ? 0 : state.phase === "checking" || state.phase === "converting" ? 1 : 2;
  let fraction: number;
  let detail: string;
  if (state.phase === "sending") {
    fraction = state.size ? state.loaded / state.size : 0;
    detail = t("sending", { loaded: formatBytes(state.loaded, locale), size: formatBytes(state.size, locale) });
  } else if (state.phase === "converting") {
    fraction = state.size ? state.bytes / state.size : 0;
    detail = t("converting", { count: state.rows });
  } else if (state.phase === "checking") {
    fraction = state.size ? state.bytes / state.size : 0;
    detail = t("checking", { count: state.lines });
  } else {
    fraction = state.total ? state.stored / state.total : 0;
    detail = t("saving", { stored: format.number(state.stored), total: format.number(state.total) });
  }
  const pct = Math.min(100, Math.round(fraction * 100));
  return (
    <div className="flex h-full min-h-40 flex-col justify-center rounded-lg bg-slate-50 px-6 py-6 ring-1 ring-inset ring-slate-200" aria-live="polite">
      <div className="flex items-center justify-between gap-4">
        <p className="truncate text-sm font-medium text-slate-900" title={state.name}>
          {state.name} <span className="font-normal text-slate-500">· {formatBytes(state.size, locale)}</span>
        </p>
        <Button variant="secondary" size="sm" onClick={onCancel}>
          {t("cancel")}
        </Button>
      </div>
      <ol className="mt-4 flex items-center gap-2 text-xs font-medium">
        {steps.map((s, i) => (
          <li key={s} className="flex items-center gap-2">
            <span
              className={cn(
                "grid h-5 w-5 place-items-center rounded-full text-[10px]",
                i < step ? "bg-emerald-500 text-white" : i === step ? "bg-brand-600 text-white" : "bg-slate-200 text-slate-500",
              )}
            >
              {i < step ? "✓" : i + 1}
            </span>
            <span className={i === step ? "text-slate-900" : "text-slate-500"}>{t(`steps.${s}`)}</span>
            {i < steps.length - 1 && <span className="mx-1 h-px w-6 bg-slate-300" aria-hidden />}
          </li>
        ))}
      </ol>
      <div
        // A new bar per step, so it starts from zero instead of sliding back from 100%.
        key={step}
        className="mt-4 h-2 overflow-hidden rounded-full bg-slate-200"
        role="progressbar"
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={pct}
        aria-label={detail}
      >
        <div className="h-full rounded-full bg-brand-600 transition-[width] duration-200" style={{ width: `${pct}%` }} />
      </div>
      <p className="mt-2 flex justify-between text-xs tabular-nums text-slate-600">
        <span>{detail}</span>
        <span>{pct}%</span>
      </p>
    </div>
  );
}
