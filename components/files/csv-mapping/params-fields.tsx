"use client";
// What each request asks of the model: the endpoint (chat or embeddings), and the model, its
// sampling parameters (chat only; blank keeps the provider's default) and provider extras added to
// every body as they are. The endpoint sits at the top of the form, the rest under the prompt.
import { useTranslations } from "next-intl";
import { cn } from "@/components/ui/cn";
import { Field, Input, Select, inputClass } from "@/components/ui/field";
import { CSV_ENDPOINTS } from "@/lib/csv/mapping";
import type { FormErrors, MappingForm } from "./csv-form";
import type { SetField } from "./mapping-state";

export function EndpointField({ form, set }: { form: MappingForm; set: SetField }) {
  const t = useTranslations("csvMapping");
  return (
    <Field label={t("endpoint")} name="csv-endpoint">
      <Select name="csv-endpoint" value={form.endpoint} onChange={(e) => set("endpoint", e.target.value as MappingForm["endpoint"])}>
        {CSV_ENDPOINTS.map((e) => (
          <option key={e} value={e}>
            {t(e === "/v1/embeddings" ? "endpoints.embeddings" : "endpoints.chat")} ({e})
          </option>
        ))}
      </Select>
    </Field>
  );
}

export function ParamsFields({ form, errors, set }: { form: MappingForm; errors: FormErrors; set: SetField }) {
  const t = useTranslations("csvMapping");
  const chat = form.endpoint === "/v1/chat/completions";
  return (
    <>
      <Field label={t("model")} name="csv-model" error={errors.model} hint={t("modelHint")}>
        <Input name="csv-model" value={form.model} onChange={(e) => set("model", e.target.value)} error={errors.model} className="font-mono" />
      </Field>

      {chat && (
        <div className="grid grid-cols-3 gap-3">
          <Field label="Temperature" name="csv-temperature" error={errors.temperature}>
            <Input name="csv-temperature" inputMode="decimal" value={form.temperature} onChange={(e) => set("temperature", e.target.value)} error={errors.temperature} placeholder={t("default")} />
          </Field>
          <Field label="top_p" name="csv-top-p" error={errors.topP}>
            <Input name="csv-top-p" inputMode="decimal" value={form.topP} onChange={(e) => set("topP", e.target.value)} error={errors.topP} placeholder={t("default")} />
          </Field>
          <Field label="max_tokens" name="csv-max-tokens" error={errors.maxTokens}>
            <Input name="csv-max-tokens" inputMode="numeric" value={form.maxTokens} onChange={(e) => set("maxTokens", e.target.value)} error={errors.maxTokens} placeholder={t("default")} />
          </Field>
        </div>
      )}

      <Field
        label={t("extra")}
        name="csv-extra"
        error={errors.extra}
        hint={t.rich("extraHint", { example: '{"enable_thinking": true, "thinking_budget": 1024}', code: (chunks) => <code className="font-mono">{chunks}</code> })}
      >
        <textarea
          id="csv-extra"
          rows={2}
          value={form.extra}
          onChange={(e) => set("extra", e.target.value)}
          aria-invalid={errors.extra ? true : undefined}
          aria-describedby={errors.extra ? "csv-extra-error" : undefined}
          className={cn(inputClass, "font-mono text-xs")}
          placeholder='{"enable_thinking": true}'
        />
      </Field>
    </>
  );
}
