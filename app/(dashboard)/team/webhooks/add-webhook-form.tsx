"use client";
import { useActionState, useState } from "react";
import { useTranslations } from "next-intl";
import { addWebhookAction } from "@/lib/notify/notify.action";
import { Button } from "@/components/ui/button";
import { Field, FormMessage, Input, Select, inputClass } from "@/components/ui/field";
import { cn } from "@/components/ui/cn";

interface FormatOption {
  value: string;
  label: string;
  secret: "generated" | "optional" | "none";
  hint: string;
}

export function AddWebhookForm({ formats, events }: { formats: FormatOption[]; events: { value: string; label: string }[] }) {
  const t = useTranslations("team.webhooks.form");
  const [state, action, pending] = useActionState(addWebhookAction, null);
  const [format, setFormat] = useState(formats[0].value);
  const f = formats.find((x) => x.value === format) ?? formats[0];
  const fe = state && !state.ok ? (state.fieldErrors ?? {}) : {};
  return (
    <div className="space-y-4">
      <form action={action} className="grid gap-4 md:grid-cols-2" noValidate>
        <Field label={t("name")} name="name" error={fe.name}>
          <Input name="name" placeholder={t("namePlaceholder")} maxLength={80} error={fe.name} />
        </Field>
        <Field label={t("format")} name="format" error={fe.format} hint={f.hint}>
          <Select name="format" value={format} onChange={(e) => setFormat(e.target.value)} error={fe.format}>
            {formats.map((o) => (
              <option key={o.value} value={o.value}>
                {o.label}
              </option>
            ))}
          </Select>
        </Field>
        <div className="md:col-span-2">
          <Field label={t("url")} name="url" error={fe.url}>
            <Input name="url" type="url" placeholder="https://…" autoComplete="off" error={fe.url} className="font-mono" />
          </Field>
        </div>
        {f.secret === "optional" && (
          <div className="md:col-span-2">
            <Field label={t("secretOptional")} name="secret" error={fe.secret} hint={t("secretHint")}>
              <Input name="secret" type="password" autoComplete="off" error={fe.secret} />
            </Field>
          </div>
        )}
        <fieldset className="md:col-span-2">
          <legend className="text-sm font-medium text-slate-800">{t("events")}</legend>
          <div className="mt-2 grid gap-2 sm:grid-cols-2 lg:grid-cols-3">
            {events.map((e) => (
              <label key={e.value} className="flex items-center gap-2 text-sm text-slate-700">
                <input type="checkbox" name="events" value={e.value} defaultChecked={e.value !== "batch.cancelled"} className="h-4 w-4 rounded border-slate-300 text-brand-600" />
                {e.label}
              </label>
            ))}
          </div>
          {fe.events && (
            <p className="mt-1 text-xs text-red-600" role="alert">
              {fe.events}
            </p>
          )}
        </fieldset>
        <div className="md:col-span-2">
          <Button type="submit" disabled={pending}>
            {pending ? t("adding") : t("submit")}
          </Button>
        </div>
      </form>
      {state && !state.ok && !Object.keys(fe).length && <FormMessage message={state.message} />}
      {state?.ok && state.data.secret && (
        <div className="rounded-md bg-emerald-50 p-4 ring-1 ring-inset ring-emerald-200" role="status">
          <p className="text-sm font-medium text-emerald-900">{t("addedWithSecret")}</p>
          <label htmlFor="webhook-secret" className="sr-only">
            {t("secret")}
          </label>
          <input id="webhook-secret" readOnly value={state.data.secret} onFocus={(e) => e.currentTarget.select()} className={cn(inputClass, "mt-3 font-mono text-xs")} />
        </div>
      )}
      {state?.ok && !state.data.secret && <FormMessage ok message={t("added")} />}
    </div>
  );
}
