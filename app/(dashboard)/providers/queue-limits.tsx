"use client";
// A connection's queue limits (lib/providers/queue-limits.ts): how much may run on it at once. The
// usage tier pre-fills the per-model enqueued-token limits from the provider's tier table (a tier
// change rewrites the table), each line of which the team may correct; the unfinished-batch limit
// beside it. Launches over these wait in the queue instead of failing.
import { useState, useTransition } from "react";
import { useRouter } from "next/navigation";
import { useFormatter, useTranslations } from "next-intl";
import { editQueueLimitsAction } from "@/lib/providers/connections.action";
import type { queueLimitsFormValues } from "@/lib/providers/queue-limits";
import { shortTokens } from "@/lib/providers/queue-limits";
import { Field, FormMessage, Input, Select, inputClass } from "@/components/ui/field";
import { LimitsFormButtons } from "./limits";

export type QueueLimitsFormValues = ReturnType<typeof queueLimitsFormValues>;

/** The limits in one line, for the card ("Tier 1 · gpt-4o-mini 2M · 1,000 unfinished batches"). */
export function QueueLimitsSummary({ form }: { form: QueueLimitsFormValues }) {
  const t = useTranslations("providers.queue");
  const lines = form.values.enqueuedTokens.split("\n").filter(Boolean);
  const parts = [
    ...(form.values.tier ? [form.values.tier] : []),
    ...(lines.length ? [t("models", { count: lines.length })] : []),
    ...(form.values.maxUnfinished || form.defaults.maxUnfinished ? [t("atMost", { count: Number(form.values.maxUnfinished || form.defaults.maxUnfinished) })] : []),
  ];
  return <p className="mt-2 text-sm text-slate-600">{t("summary", { parts: parts.length ? parts.join(" · ") : t("none") })}</p>;
}

export function QueueLimitsForm({ connectionId, form, onDone }: { connectionId: string; form: QueueLimitsFormValues; onDone: () => void }) {
  const t = useTranslations("providers.queue");
  const format = useFormatter();
  const router = useRouter();
  const [values, setValues] = useState(form.values);
  const [result, setResult] = useState<{ message: string; fieldErrors?: Record<string, string> } | null>(null);
  const [pending, start] = useTransition();
  const fe = result?.fieldErrors ?? {};
  const id = (f: string) => `${f}-queue-${connectionId}`;

  const chooseTier = (tier: string) => {
    const table = form.tiers.find((t) => t.name === tier)?.limits ?? {};
    setValues({ ...values, tier, enqueuedTokens: Object.entries(table).map(([m, n]) => `${m} = ${n}`).join("\n") });
  };
  const send = (reset: boolean) =>
    start(async () => {
      setResult(null);
      const res = await editQueueLimitsAction({ connectionId, ...values, reset });
      if (!res.ok) return setResult({ message: res.message, fieldErrors: res.fieldErrors });
      router.refresh();
      onDone();
    });

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
        <h3 className="text-sm font-semibold text-slate-900">{t("title")}</h3>
        <p className="text-xs text-slate-500">{t("description")}</p>
      </div>
      {form.tiers.length > 0 && (
        <Field label={t("tier")} name={id("tier")} error={fe.tier} hint={form.tierSource ?? undefined}>
          <Select name={id("tier")} value={values.tier} onChange={(e) => chooseTier(e.target.value)} error={fe.tier} disabled={pending}>
            {form.tiers.map((t) => (
              <option key={t.name} value={t.name}>
                {t.name}
                {t.limits["gpt-4o-mini"] ? ` (gpt-4o-mini ${shortTokens(t.limits["gpt-4o-mini"])})` : ""}
              </option>
            ))}
          </Select>
        </Field>
      )}
      <Field
        label={t("enqueued")}
        name={id("enqueuedTokens")}
        error={fe.enqueuedTokens}
        hint={t("enqueuedHint")}
      >
        <textarea
          id={id("enqueuedTokens")}
          name={id("enqueuedTokens")}
          rows={Math.min(10, Math.max(3, values.enqueuedTokens.split("\n").length))}
          value={values.enqueuedTokens}
          onChange={(e) => setValues({ ...values, enqueuedTokens: e.target.value })}
          aria-invalid={fe.enqueuedTokens ? true : undefined}
          className={`${inputClass} font-mono text-xs`}
          disabled={pending}
          placeholder="gpt-4o-mini = 2000000"
        />
      </Field>
      <Field
        label={t("maxUnfinished")}
        name={id("maxUnfinished")}
        error={fe.maxUnfinished}
        hint={form.defaults.maxUnfinished ? t("maxUnfinishedDefault", { value: format.number(form.defaults.maxUnfinished) }) : t("maxUnfinishedBlank")}
      >
        <Input
          name={id("maxUnfinished")}
          inputMode="numeric"
          value={values.maxUnfinished}
          placeholder={form.defaults.maxUnfinished ? String(form.defaults.maxUnfinished) : t("noLimit")}
          onChange={(e) => setValues({ ...values, maxUnfinished: e.target.value })}
          error={fe.maxUnfinished}
          disabled={pending}
        />
      </Field>
      {/* One field error sits beside its field; several are also summed up here. */}
      <FormMessage message={result && Object.keys(fe).length !== 1 ? result.message : undefined} />
      <LimitsFormButtons pending={pending} save={t("save")} onReset={() => send(true)} onCancel={onDone} />
    </form>
  );
}
