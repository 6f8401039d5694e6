"use client";
// A connection's limits: read-only rows for every provider (values providers.md marks uncertain
// flagged), and for a Custom OpenAI-compatible connection the form that edits them.
import { useState, useTransition } from "react";
import { useRouter } from "next/navigation";
import { editLimitsAction } from "@/lib/providers/connections.action";
import type { LimitRow, limitsFormValues } from "@/lib/providers/connections.limits";
import { Button } from "@/components/ui/button";
import { Field, FormMessage, Input } from "@/components/ui/field";
import { cn } from "@/components/ui/cn";

export type LimitsFormValues = ReturnType<typeof limitsFormValues>;

export function LimitsList({ rows, custom }: { rows: LimitRow[]; custom: boolean }) {
  const unsure = rows.some((r) => r.uncertain);
  return (
    <details className="group mt-3 text-sm">
      <summary className="cursor-pointer select-none text-slate-600 hover:text-slate-900">
        Limits{custom ? " (this team's own)" : ""}
      </summary>
      <dl className="mt-2 grid grid-cols-[auto_1fr] gap-x-4 gap-y-1 rounded-md bg-slate-50 px-3 py-2">
        {rows.map((r) => (
          <div key={r.label} className="contents">
            <dt className="text-slate-500">{r.label}</dt>
            <dd className="text-slate-700">
              {r.value}
              {r.uncertain && (
                <span className="ml-1.5 rounded bg-amber-100 px-1 text-xs text-amber-800" title="The provider's documents leave this unconfirmed: a default to check.">
                  unconfirmed
                </span>
              )}
              {r.custom && <span className="ml-1.5 rounded bg-brand-50 px-1 text-xs text-brand-700 ring-1 ring-brand-100">set by this team</span>}
            </dd>
          </div>
        ))}
      </dl>
      {unsure && <p className="mt-1 text-xs text-slate-500">“unconfirmed”: the provider&apos;s documents do not state it for sure; Batchboard checks this default.</p>}
    </details>
  );
}

type Text = "maxRequests" | "maxFileMB" | "maxLineMB" | "maxCustomIdLength" | "windowMinHours" | "windowMaxHours";

export function LimitsForm({ connectionId, form, onDone }: { connectionId: string; form: LimitsFormValues; onDone: () => void }) {
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

  const text = (f: Text, label: string, unit: string, hint?: string) => (
    <Field label={label} name={id(f)} error={fe[f]} hint={hint ?? `Default ${Number(form.defaults[f]).toLocaleString("en-US")}${unit}. Leave blank for the default.`}>
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
        <h3 className="text-sm font-semibold text-slate-900">Limits for this provider</h3>
        <p className="text-xs text-slate-500">Uploads checked for this connection, and launches on it, are held to these. Blank fields keep the defaults shown.</p>
      </div>
      <div className="grid gap-4 sm:grid-cols-2">
        {text("maxRequests", "Max requests per file", "")}
        {text("maxCustomIdLength", "custom_id max length", " characters")}
        {text("maxFileMB", "Max file size (MB)", " MB")}
        {text("maxLineMB", "Max line size (MB)", " MB")}
        {text("windowMinHours", "Shortest completion window (hours)", "h")}
        {text("windowMaxHours", "Longest completion window (hours)", "h")}
      </div>
      <label className="flex items-center gap-2 text-sm text-slate-800">
        <input
          type="checkbox"
          checked={values.oneModelPerBatch}
          onChange={(e) => setValues({ ...values, oneModelPerBatch: e.target.checked })}
          disabled={pending}
          className="size-4 rounded border-slate-300"
        />
        One model per batch
        <span className="text-xs text-slate-500">(default {form.defaults.oneModelPerBatch ? "yes" : "no"})</span>
      </label>
      <fieldset aria-describedby={fe.endpoints ? id("endpoints-error") : undefined}>
        <legend className="text-sm font-medium text-slate-800">Allowed endpoints</legend>
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
      <FormMessage message={result ? (shown > 1 ? `${shown} limits need fixing: see the messages above.` : shown ? undefined : result.message) : undefined} />
      <LimitsFormButtons pending={pending} save="Save limits" onReset={() => send(true)} onCancel={onDone} />
    </form>
  );
}

/** Save, reset to the defaults, or close: the buttons under both limits forms. */
export function LimitsFormButtons({ pending, save, onReset, onCancel }: { pending: boolean; save: string; onReset: () => void; onCancel: () => void }) {
  return (
    <div className={cn("flex flex-wrap items-center gap-2")}>
      <Button type="submit" size="sm" disabled={pending}>
        {pending ? "Saving…" : save}
      </Button>
      <Button type="button" variant="secondary" size="sm" disabled={pending} onClick={onReset}>
        Reset to defaults
      </Button>
      <Button type="button" variant="ghost" size="sm" onClick={onCancel}>
        Cancel
      </Button>
    </div>
  );
}
