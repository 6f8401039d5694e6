"use client";
// The prompt of each request: the file's columns as chips, the template (the user message, or the
// text to embed) and, for chat, the system prompt. A chip inserts its {{column}} where the cursor is,
// in whichever of the two was used last (always the template for embeddings).
import { useRef } from "react";
import { useTranslations } from "next-intl";
import { cn } from "@/components/ui/cn";
import { Field, inputClass } from "@/components/ui/field";
import type { FormErrors, MappingForm } from "./csv-form";
import type { SetField } from "./mapping-state";

export function PromptEditor({ form, columns, errors, set }: { form: MappingForm; columns: string[]; errors: FormErrors; set: SetField }) {
  const t = useTranslations("csvMapping");
  const focused = useRef<"template" | "systemPrompt">("template");
  const templateRef = useRef<HTMLTextAreaElement>(null);
  const systemRef = useRef<HTMLTextAreaElement>(null);
  const chat = form.endpoint === "/v1/chat/completions";

  /** Inserts {{column}} where the cursor is, in the prompt or the system prompt (whichever was last used). */
  const insert = (column: string) => {
    const key = form.endpoint === "/v1/embeddings" ? "template" : focused.current;
    const el = key === "template" ? templateRef.current : systemRef.current;
    const text = form[key];
    const placeholder = `{{${column}}}`;
    const start = el?.selectionStart ?? text.length;
    const end = el?.selectionEnd ?? text.length;
    set(key, text.slice(0, start) + placeholder + text.slice(end));
    requestAnimationFrame(() => {
      el?.focus();
      el?.setSelectionRange(start + placeholder.length, start + placeholder.length);
    });
  };

  return (
    <>
      <div className="space-y-1.5">
        <p className="text-sm font-medium text-slate-800">{t("columns")}</p>
        <div className="flex flex-wrap gap-1.5" aria-label={t("insertColumns")}>
          {columns.map((c, i) => (
            <button
              key={`${c}-${i}`}
              type="button"
              onClick={() => insert(c)}
              disabled={c === ""}
              title={t("insert", { placeholder: `{{${c}}}` })}
              className="rounded-full bg-brand-50 px-2.5 py-1 font-mono text-xs text-brand-700 ring-1 ring-inset ring-brand-200 hover:bg-brand-100 disabled:opacity-40"
            >
              {`{{${c || "?"}}}`}
            </button>
          ))}
        </div>
        <p className="text-xs text-slate-500">{t("insertHint")}</p>
      </div>

      <Field label={chat ? t("promptTemplate") : t("textToEmbed")} name="csv-template-text" error={errors.template}>
        <textarea
          id="csv-template-text"
          ref={templateRef}
          rows={4}
          value={form.template}
          onFocus={() => (focused.current = "template")}
          onChange={(e) => set("template", e.target.value)}
          aria-invalid={errors.template ? true : undefined}
          className={cn(inputClass, "font-mono text-xs")}
          placeholder={t("promptPlaceholder", { example: "{{text}}" })}
        />
      </Field>

      {chat && (
        <Field label={t("systemPrompt")} name="csv-system" error={errors.systemPrompt}>
          <textarea
            id="csv-system"
            ref={systemRef}
            rows={2}
            value={form.systemPrompt}
            onFocus={() => (focused.current = "systemPrompt")}
            onChange={(e) => set("systemPrompt", e.target.value)}
            className={cn(inputClass, "font-mono text-xs")}
            placeholder={t("systemPlaceholder")}
          />
        </Field>
      )}
    </>
  );
}
