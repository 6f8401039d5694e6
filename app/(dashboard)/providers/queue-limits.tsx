"use client";
// A connection's queue limits (lib/providers/queue-limits.ts): how much may run on it at once. The
// usage tier pre-fills the per-model enqueued-token limits from the provider's tier table (a tier
// change rewrites the table), each line of which the team may correct; the unfinished-batch limit
// beside it. Launches over these wait in the queue instead of failing.
import { useState, useTransition } from "react";
import { useRouter } from "next/navigation";
import { editQueueLimitsAction } from "@/lib/providers/connections.action";
import type { queueLimitsFormValues } from "@/lib/providers/queue-limits";
import { shortTokens } from "@/lib/providers/queue-limits";
import { Field, FormMessage, Input, Select, inputClass } from "@/components/ui/field";
import { LimitsFormButtons } from "./limits";
import { plural } from "@/lib/files/format";

export type QueueLimitsFormValues = ReturnType<typeof queueLimitsFormValues>;

/** The limits in one line, for the card ("Tier 1 · gpt-4o-mini 2M · 1,000 unfinished batches"). */
export function QueueLimitsSummary({ form }: { form: QueueLimitsFormValues }) {
  const lines = form.values.enqueuedTokens.split("\n").filter(Boolean);
  const parts = [
    ...(form.values.tier ? [form.values.tier] : []),
    ...(lines.length ? [`${lines.length} model${lines.length === 1 ? "" : "s"} with an enqueued-token limit`] : []),
    ...(form.values.maxUnfinished || form.defaults.maxUnfinished ? [`at most ${plural(Number(form.values.maxUnfinished || form.defaults.maxUnfinished), "unfinished batch", "unfinished batches")}`] : []),
  ];
  return <p className="mt-2 text-sm text-slate-600">Queue limits: {parts.length ? parts.join(" · ") : "none (launches are not held back)"}</p>;
}

export function QueueLimitsForm({ connectionId, form, onDone }: { connectionId: string; form: QueueLimitsFormValues; onDone: () => void }) {
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
        <h3 className="text-sm font-semibold text-slate-900">Queue limits</h3>
        <p className="text-xs text-slate-500">
          How much may run on this connection at once, counted over the batches Batchboard launched on it. A launch over these waits in the queue and starts by
          itself when earlier batches end.
        </p>
      </div>
      {form.tiers.length > 0 && (
        <Field label="Usage tier" name={id("tier")} error={fe.tier} hint={form.tierSource ?? undefined}>
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
        label="Enqueued tokens per model"
        name={id("enqueuedTokens")}
        error={fe.enqueuedTokens}
        hint={'One "model = tokens" a line; a dated snapshot (gpt-4o-mini-2024-07-18) counts under its model. Empty: no token limit.'}
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
        label="Unfinished batches at most"
        name={id("maxUnfinished")}
        error={fe.maxUnfinished}
        hint={form.defaults.maxUnfinished ? `Default ${form.defaults.maxUnfinished.toLocaleString("en-US")} (the provider's limit). Leave blank for it.` : "Leave blank for no limit."}
      >
        <Input
          name={id("maxUnfinished")}
          inputMode="numeric"
          value={values.maxUnfinished}
          placeholder={form.defaults.maxUnfinished ? String(form.defaults.maxUnfinished) : "no limit"}
          onChange={(e) => setValues({ ...values, maxUnfinished: e.target.value })}
          error={fe.maxUnfinished}
          disabled={pending}
        />
      </Field>
      {/* One field error sits beside its field; several are also summed up here. */}
      <FormMessage message={result && Object.keys(fe).length !== 1 ? result.message : undefined} />
      <LimitsFormButtons pending={pending} save="Save queue limits" onReset={() => send(true)} onCancel={onDone} />
    </form>
  );
}
