"use client";
// A connection's limits: read-only rows for every provider (values providers.md marks uncertain
// flagged), and for a Custom OpenAI-compatible connection the form that edits them.
import { useState, useTransition } from "react";
import { useRouter } from "next/navigation";
import { useFormatter, useTranslations } from "next-intl";
import { editLimitsAction } from "@/lib/providers/connections.action";
import type { LimitRow, limitsFormValues } from "@/lib/providers/connections.limits";
import { Button } from "@/components/ui/button";
import { Field, FormMessage, Input } from "@/components/ui/field";
import { cn } from "@/components/ui/cn";

export type LimitsFormValues = ReturnType<typeof limitsFormValues>;

/** limitRows' labels (English, shared with the server) → their messages. */
const ROW_KEYS = {
  "Max requests": "maxRequests",
  "Max file size": "maxFileSize",
  "Max line size": "maxLineSize",
  custom_id: "customId",
  "One model per batch": "oneModel",
  Endpoints: "endpoints",
  "Completion windows": "windows",
  "File name": "fileName",
  "Free dry run": "dryRun",
} as const;

export function LimitsList({ rows, custom }: { rows: LimitRow[]; custom: boolean }) {
  const t = useTranslations("providers.limits");
  const label = (l: string) => (l in ROW_KEYS ? t(`rows.${ROW_KEYS[l as keyof typeof ROW_KEYS]}`) : l);
  const value = (v: string) => (v === "yes" ? t("yes") : v === "no" ? t("no") : v);
  const unsure = rows.some((r) => r.uncertain);
  return (
    <details className="group mt-3 text-sm">
      <summary className="cursor-pointer select-none text-slate-600 hover:text-slate-900">
        {custom ? t("titleCustom") : t("title")}
      </summary>
      <dl className="mt-2 grid grid-cols-[auto_1fr] gap-x-4 gap-y-1 rounded-md bg-slate-50 px-3 py-2">
        {rows.map((r) => (
          <div key={r.label} className="contents">
            <dt className="text-slate-500">{label(r.label)}</dt>
            <dd className="text-slate-700">
              {value(r.value)}
              {r.uncertain && (
                <span className="ml-1.5 rounded bg-amber-100 px-1 text-xs text-amber-800" title={t("unconfirmedTitle")}>
                  {t("unconfirmed")}
                </span>
              )}
              {r.custom && <span className="ml-1.5 rounded bg-brand-50 px-1 text-xs text-brand-700 ring-1 ring-brand-100">{t("setByTeam")}</span>}
            </dd>
          </div>
        ))}
      </dl>
      {unsure && <p className="mt-1 text-xs text-slate-500">{t("unconfirmedNote")}</p>}
    </details>
  );
}

type Text = "maxRequests" | "maxFileMB" | "maxLineMB" | "maxCustomIdLength" | "windowMinHours" | "windowMaxHours";

export function LimitsForm({ connectionId, form, onDone }: { connectionId: string; form: LimitsFormValues; onDone: () => void }) {
  const t = useTranslations("providers.limits");
  const format = useFormatter();
  const router = useRouter();
  const [values, setValues] = useState(form.values);
  const [result, setResult] = useState<{ message: string; fieldErrors?: Record<string, string> } | null>(null);
  const [pending, start] = useTransition();
  const fe = result?.fieldErrors ?? {};
  const shown = Object.keys(fe).filter((k) => k in form.defaults).length;
  const id = (f: string) => `${f}-${connectionId}`;

  const send = (reset: boolean) =>
    start(async () => {
      setResult(null);
      const res = await editLimitsAction({ connectionId, ...values, reset });
      if (!res.ok) {
        setResult({ message: res.message, fieldErrors: res.fieldErrors });
        return;
      }
      router.refresh();
      onDone();
    });

  const text = (f: Text, unit: "none" | "characters" | "mb" | "hours") => (
    <Field label={t(`fields.${f}`)} name={id(f)} error={fe[f]} hint={t("defaultHint", { value: format.number(Number(form.defaults[f])), unit })}>
      <Input
        name={id(f)}
        inputMode="decimal"
        value={values[f]}
        placeholder={form.defaults[f]}
        onChange={(e) => setValues({ ...values, [f]: e.target.value })}
        error={fe[f]}
        disabled={pending}
      />
    </Field>
  );

  return (
    <form
      className="mt-4 space-y-4 border-t border-slate-100 pt-4"
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        send(false);
      }}
    >
      <div>
        <h3 className="text-sm font-semibold text-slate-900">{t("formTitle")}</h3>
        <p className="text-xs text-slate-500">{t("formNote")}</p>
      </div>
      <div className="grid gap-4 sm:grid-cols-2">
        {text("maxRequests", "none")}
        {text("maxCustomIdLength", "characters")}
        {text("maxFileMB", "mb")}
        {text("maxLineMB", "mb")}
        {text("windowMinHours", "hours")}
        {text("windowMaxHours", "hours")}
      </div>
      <label className="flex items-center gap-2 text-sm text-slate-800">
        <input
          type="checkbox"
          checked={values.oneModelPerBatch}
          onChange={(e) => setValues({ ...values, oneModelPerBatch: e.target.checked })}
          disabled={pending}
          className="size-4 rounded border-slate-300"
        />
        {t("oneModel")}
        <span className="text-xs text-slate-500">{t("oneModelDefault", { yes: String(form.defaults.oneModelPerBatch) })}</span>
      </label>
      <fieldset aria-describedby={fe.endpoints ? id("endpoints-error") : undefined}>
        <legend className="text-sm font-medium text-slate-800">{t("endpoints")}</legend>
        <div className="mt-1.5 flex flex-wrap gap-x-4 gap-y-1">
          {form.defaults.endpoints.map((e) => (
            <label key={e} className="flex items-center gap-1.5 font-mono text-xs text-slate-700">
              <input
                type="checkbox"
                checked={values.endpoints.includes(e)}
                onChange={(ev) => setValues({ ...values, endpoints: ev.target.checked ? [...values.endpoints, e] : values.endpoints.filter((x) => x !== e) })}
                disabled={pending}
                className="size-4 rounded border-slate-300"
              />
              {e}
            </label>
          ))}
        </div>
        {fe.endpoints && (
          <p id={id("endpoints-error")} role="alert" className="mt-1 text-xs text-red-600">
            {fe.endpoints}
          </p>
        )}
      </fieldset>
      {/* Field errors sit beside their fields; the summary only counts them. */}
      <FormMessage message={result ? (shown > 1 ? t("needFixing", { count: shown }) : shown ? undefined : result.message) : undefined} />
      <LimitsFormButtons pending={pending} save={t("save")} onReset={() => send(true)} onCancel={onDone} />
    </form>
  );
}

/** Save, reset to the defaults, or close: the buttons under both limits forms. */
export function LimitsFormButtons({ pending, save, onReset, onCancel }: { pending: boolean; save: string; onReset: () => void; onCancel: () => void }) {
  const t = useTranslations("providers.limits");
  return (
    <div className={cn("flex flex-wrap items-center gap-2")}>
      <Button type="submit" size="sm" disabled={pending}>
        {pending ? t("saving") : save}
      </Button>
      <Button type="button" variant="secondary" size="sm" disabled={pending} onClick={onReset}>
        {t("reset")}
      </Button>
      <Button type="button" variant="ghost" size="sm" onClick={onCancel}>
        {t("cancel")}
      </Button>
    </div>
  );
}
