"use client";
// The CSV step of the upload panel: how the columns become requests (custom_id, prompt template with
// clickable column chips, system prompt, model, parameters, provider extras, endpoint), and beside
// it the first requests exactly as they will be sent, rendered from the file's first rows by the
// same code the server converts with (lib/csv/render.ts). A saved template fills the form; the form
// can be saved as one.
import { useMemo, useRef, useState } from "react";
import { Button } from "@/components/ui/button";
import { cn } from "@/components/ui/cn";
import { Field, Input, Select, inputClass } from "@/components/ui/field";
import { formatBytes, formatCount, plural } from "@/lib/files/format";
import { CSV_ENDPOINTS, type CsvMapping } from "@/lib/csv/mapping";
import { bindMapping } from "@/lib/csv/render";
import type { HeadPreview } from "@/lib/csv/types";
import { saveTemplateAction } from "@/lib/templates/templates.action";
import { ENDPOINT_LABELS, formFromMapping, guessForm, mappingFromForm, sameMapping, type MappingForm } from "./csv-form";

export interface TemplateOption {
  id: string;
  name: string;
  mapping: CsvMapping;
}

export const ENCODINGS = [
  { value: "utf-8", label: "UTF-8" },
  { value: "gb18030", label: "GB18030 / GBK (Excel in China)" },
  { value: "utf-16le", label: "UTF-16" },
  { value: "utf-16be", label: "UTF-16 big-endian" },
];
const DELIMITERS: Record<string, string> = { ",": "comma", ";": "semicolon", "\t": "tab" };

export function CsvMappingStep({
  file,
  preview,
  encoding,
  onEncoding,
  templates,
  initialTemplateId,
  canSave,
  onTemplateSaved,
  target,
  onUpload,
  onCancel,
}: {
  file: File;
  preview: HeadPreview;
  /** "" while the encoding is the one found. */
  encoding: string;
  onEncoding: (encoding: string) => void;
  templates: TemplateOption[];
  initialTemplateId?: string;
  canSave: boolean;
  onTemplateSaved: (t: { id: string; name: string }) => void;
  /** The "Check for" control of the panel. */
  target?: React.ReactNode;
  onUpload: (mapping: CsvMapping, templateId: string | undefined) => void;
  onCancel: () => void;
}) {
  const initial = templates.find((t) => t.id === initialTemplateId);
  const [templateId, setTemplateId] = useState(initial?.id ?? "");
  const [form, setForm] = useState<MappingForm>(() => (initial ? formFromMapping(initial.mapping) : guessForm(preview.columns)));
  const [touched, setTouched] = useState(false);
  const [saveName, setSaveName] = useState("");
  const [saveState, setSaveState] = useState<{ ok: boolean; message: string } | null>(null);
  const [saving, setSaving] = useState(false);
  const [justSaved, setJustSaved] = useState<TemplateOption | null>(null);
  const focused = useRef<"template" | "systemPrompt">("template");
  const templateRef = useRef<HTMLTextAreaElement>(null);
  const systemRef = useRef<HTMLTextAreaElement>(null);

  const set = <K extends keyof MappingForm>(key: K, value: MappingForm[K]) => {
    setForm((f) => ({ ...f, [key]: value }));
    setSaveState(null);
  };

  const chooseTemplate = (id: string) => {
    setTemplateId(id);
    const t = templates.find((x) => x.id === id);
    if (t) setForm(formFromMapping(t.mapping));
    setSaveState(null);
  };

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

  const parsed = useMemo(() => mappingFromForm(form), [form]);
  const bound = useMemo(() => (parsed.mapping ? bindMapping(parsed.mapping, preview.columns) : undefined), [parsed, preview.columns]);
  const rendered = useMemo(
    () =>
      preview.rows.map((r) => {
        const cells = r.cells.length >= preview.columns.length ? r.cells : [...r.cells, ...Array(preview.columns.length - r.cells.length).fill("")];
        return { row: r.row, cells, out: bound && bound.problems.length === 0 ? bound.render(cells, r.row) : undefined };
      }),
    [preview.rows, preview.columns.length, bound],
  );
  const errors = touched ? (parsed.errors ?? {}) : {};
  const headerProblems = bound?.problems ?? [];
  const ready = !!parsed.mapping && headerProblems.length === 0;
  // A template just saved here counts as chosen before the list is reloaded.
  const chosen = templates.find((t) => t.id === templateId) ?? (justSaved?.id === templateId ? justSaved : undefined);
  const usedAsSaved = chosen && parsed.mapping ? sameMapping(chosen.mapping, parsed.mapping) : false;

  const upload = () => {
    setTouched(true);
    if (parsed.mapping && headerProblems.length === 0) onUpload(parsed.mapping, chosen ? chosen.id : undefined);
  };

  const save = async () => {
    setTouched(true);
    if (!parsed.mapping) return;
    const name = saveName.trim();
    if (!name) {
      setSaveState({ ok: false, message: "Name the template." });
      return;
    }
    setSaving(true);
    const r = await saveTemplateAction({ name, mapping: parsed.mapping });
    setSaving(false);
    if (r.ok) {
      setSaveState({ ok: true, message: `Saved as "${r.data.name}". Teammates can use it on their CSV files.` });
      setTemplateId(r.data.id);
      setJustSaved({ ...r.data, mapping: parsed.mapping });
      setSaveName("");
      onTemplateSaved(r.data);
    } else setSaveState({ ok: false, message: r.message });
  };

  const chat = form.endpoint === "/v1/chat/completions";

  return (
    <div>
      <div className="flex flex-wrap items-center justify-between gap-3 border-b border-slate-100 bg-slate-50/70 px-5 py-3">
        <div className="min-w-0 text-sm">
          <p className="truncate font-medium text-slate-900" title={file.name}>
            {file.name} <span className="font-normal text-slate-500">· {formatBytes(file.size)}</span>
          </p>
          <p className="text-xs text-slate-600">
            {plural(preview.columns.length, "column")}, {DELIMITERS[preview.delimiter] ?? preview.delimiter}-separated, read as{" "}
            {ENCODINGS.find((e) => e.value === preview.encoding)?.label ?? preview.encoding}
            {preview.bom ? " (with a byte order mark)" : ""}
            {encoding ? " as you chose" : ""}. The first {plural(preview.rows.length, "row")} are shown{preview.partial ? "" : ": that is all of them"}.
          </p>
        </div>
        <div className="flex items-center gap-2">
          <label htmlFor="csv-encoding" className="text-xs font-medium text-slate-600">
            Encoding
          </label>
          <div className="w-60">
            <Select name="csv-encoding" value={encoding} onChange={(e) => onEncoding(e.target.value)} className="py-1.5 text-xs">
            <option value="">Detect ({ENCODINGS.find((e) => e.value === preview.encoding)?.label.split(" ")[0] ?? preview.encoding})</option>
            {ENCODINGS.map((e) => (
              <option key={e.value} value={e.value}>
                {e.label}
              </option>
            ))}
            </Select>
          </div>
          <Button variant="ghost" size="sm" onClick={onCancel} className="whitespace-nowrap">
            Choose another file
          </Button>
        </div>
      </div>

      {preview.problems.length > 0 && (
        <div role="alert" className="border-b border-red-100 bg-red-50 px-5 py-3 text-sm text-red-800">
          <p className="font-medium">The first rows already have {plural(preview.problemCount, "problem")}:</p>
          <ul className="mt-1 list-disc space-y-0.5 pl-5">
            {preview.problems.slice(0, 5).map((p, i) => (
              <li key={i}>
                Row {formatCount(p.line)}
                {p.field ? `, column “${p.field}”` : ""}: {p.message}
              </li>
            ))}
          </ul>
        </div>
      )}

      <div className="grid gap-6 p-5 lg:grid-cols-[26rem_minmax(0,1fr)]">
        <div className="space-y-4">
          {target}
          {templates.length > 0 && (
            <Field label="Saved template" name="csv-template" hint={chosen && !usedAsSaved ? `Changed from "${chosen.name}": the upload uses the form as it is now.` : "Fills the form; you can still change it."}>
              <Select name="csv-template" value={templateId} onChange={(e) => chooseTemplate(e.target.value)}>
                <option value="">None: map the columns here</option>
                {templates.map((t) => (
                  <option key={t.id} value={t.id}>
                    {t.name}
                  </option>
                ))}
              </Select>
            </Field>
          )}

          <Field label="Endpoint" name="csv-endpoint">
            <Select name="csv-endpoint" value={form.endpoint} onChange={(e) => set("endpoint", e.target.value as MappingForm["endpoint"])}>
              {CSV_ENDPOINTS.map((e) => (
                <option key={e} value={e}>
                  {ENDPOINT_LABELS[e]} ({e})
                </option>
              ))}
            </Select>
          </Field>

          <fieldset className="space-y-2">
            <legend className="text-sm font-medium text-slate-800">custom_id</legend>
            <div className="flex gap-4 text-sm text-slate-700">
              <label className="flex items-center gap-1.5">
                <input type="radio" name="csv-id-from" checked={form.idFrom === "column"} onChange={() => set("idFrom", "column")} /> From a column
              </label>
              <label className="flex items-center gap-1.5">
                <input type="radio" name="csv-id-from" checked={form.idFrom === "row"} onChange={() => set("idFrom", "row")} /> Generated from the row number
              </label>
            </div>
            {form.idFrom === "column" ? (
              <Select name="csv-id-column" aria-label="custom_id column" value={form.idColumn} onChange={(e) => set("idColumn", e.target.value)} error={errors.idColumn}>
                <option value="">Choose a column…</option>
                {preview.columns.map((c) => (
                  <option key={c} value={c}>
                    {c}
                  </option>
                ))}
              </Select>
            ) : (
              <div className="flex items-center gap-2 text-sm text-slate-600">
                <div className="w-28 shrink-0">
                  <Input name="csv-id-prefix" aria-label="custom_id prefix" value={form.idPrefix} onChange={(e) => set("idPrefix", e.target.value)} className="font-mono" />
                </div>
                <span>
                  + row number: <span className="font-mono text-xs">{form.idPrefix}000002</span> for the first row
                </span>
              </div>
            )}
            {errors.idColumn && <p className="text-xs text-red-600">{errors.idColumn}</p>}
          </fieldset>

          <div className="space-y-1.5">
            <p className="text-sm font-medium text-slate-800">Columns</p>
            <div className="flex flex-wrap gap-1.5" aria-label="Insert a column into the prompt">
              {preview.columns.map((c, i) => (
                <button
                  key={`${c}-${i}`}
                  type="button"
                  onClick={() => insert(c)}
                  disabled={c === ""}
                  title={`Insert {{${c}}}`}
                  className="rounded-full bg-brand-50 px-2.5 py-1 font-mono text-xs text-brand-700 ring-1 ring-inset ring-brand-200 hover:bg-brand-100 disabled:opacity-40"
                >
                  {`{{${c || "?"}}}`}
                </button>
              ))}
            </div>
            <p className="text-xs text-slate-500">Click a column to insert it where the cursor is.</p>
          </div>

          <Field label={chat ? "Prompt template (the user message)" : "Text to embed"} name="csv-template-text" error={errors.template}>
            <textarea
              id="csv-template-text"
              ref={templateRef}
              rows={4}
              value={form.template}
              onFocus={() => (focused.current = "template")}
              onChange={(e) => set("template", e.target.value)}
              aria-invalid={errors.template ? true : undefined}
              className={cn(inputClass, "font-mono text-xs")}
              placeholder="Translate into English: {{text}}"
            />
          </Field>

          {chat && (
            <Field label="System prompt (optional)" name="csv-system" error={errors.systemPrompt}>
              <textarea
                id="csv-system"
                ref={systemRef}
                rows={2}
                value={form.systemPrompt}
                onFocus={() => (focused.current = "systemPrompt")}
                onChange={(e) => set("systemPrompt", e.target.value)}
                className={cn(inputClass, "font-mono text-xs")}
                placeholder="You are a helpful assistant."
              />
            </Field>
          )}

          <Field label="Model" name="csv-model" error={errors.model} hint="As the provider names it: qwen-plus, gpt-4o-mini, batch-test-model (the Sandbox)…">
            <Input name="csv-model" value={form.model} onChange={(e) => set("model", e.target.value)} error={errors.model} className="font-mono" />
          </Field>

          {chat && (
            <div className="grid grid-cols-3 gap-3">
              <Field label="Temperature" name="csv-temperature" error={errors.temperature}>
                <Input name="csv-temperature" inputMode="decimal" value={form.temperature} onChange={(e) => set("temperature", e.target.value)} error={errors.temperature} placeholder="default" />
              </Field>
              <Field label="top_p" name="csv-top-p" error={errors.topP}>
                <Input name="csv-top-p" inputMode="decimal" value={form.topP} onChange={(e) => set("topP", e.target.value)} error={errors.topP} placeholder="default" />
              </Field>
              <Field label="max_tokens" name="csv-max-tokens" error={errors.maxTokens}>
                <Input name="csv-max-tokens" inputMode="numeric" value={form.maxTokens} onChange={(e) => set("maxTokens", e.target.value)} error={errors.maxTokens} placeholder="default" />
              </Field>
            </div>
          )}

          <Field
            label="Provider extras (JSON, optional)"
            name="csv-extra"
            error={errors.extra}
            hint={
              <>
                Added to every body as they are, e.g. <code className="font-mono">{'{"enable_thinking": true, "thinking_budget": 1024}'}</code>
              </>
            }
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
        </div>

        {/* Stays in view while the form beside it scrolls. */}
        <div className="min-w-0 space-y-3 lg:sticky lg:top-4 lg:self-start">
          <div className="flex items-baseline justify-between gap-3">
            <h3 className="text-sm font-semibold text-slate-900">Preview: the first requests, exactly as they will be sent</h3>
            <span className="text-xs text-slate-500">one JSONL line per row</span>
          </div>
          {headerProblems.length > 0 && (
            <ul role="alert" className="space-y-1 rounded-md bg-amber-50 px-4 py-3 text-sm text-amber-900 ring-1 ring-inset ring-amber-200">
              {headerProblems.map((p, i) => (
                <li key={i}>{p.message}</li>
              ))}
            </ul>
          )}
          {!parsed.mapping && headerProblems.length === 0 && (
            <p className="rounded-md bg-slate-50 px-4 py-3 text-sm text-slate-600 ring-1 ring-inset ring-slate-200">
              {Object.values(parsed.errors ?? {})[0] ?? "Complete the mapping"} to see the requests.
            </p>
          )}
          <ol className="space-y-3" aria-label="Preview of the requests">
            {rendered.map(({ row, cells, out }) => (
              <li key={row} className="overflow-hidden rounded-lg ring-1 ring-slate-200">
                <div className="grid gap-0 md:grid-cols-[minmax(0,14rem)_minmax(0,1fr)]">
                  <div className="border-b border-slate-100 bg-slate-50/70 px-3 py-2 md:border-b-0 md:border-r">
                    <p className="text-xs font-semibold text-slate-700">Row {formatCount(row)}</p>
                    <dl className="mt-1 space-y-0.5 text-xs">
                      {preview.columns.map((c, i) => (
                        <div key={`${c}-${i}`} className="flex gap-1.5">
                          <dt className="shrink-0 font-mono text-slate-500">{c || `column ${i + 1}`}:</dt>
                          <dd className="min-w-0 truncate text-slate-800" title={cells[i]}>
                            {cells[i] === "" ? <span className="text-slate-400">empty</span> : cells[i]}
                          </dd>
                        </div>
                      ))}
                    </dl>
                  </div>
                  <div className="min-w-0 px-3 py-2">
                    {out === undefined ? (
                      <p className="text-xs text-slate-400">—</p>
                    ) : "line" in out ? (
                      <pre className="max-h-40 overflow-auto whitespace-pre-wrap break-all font-mono text-[11px] leading-relaxed text-slate-800" data-testid="preview-line">
                        {out.line}
                      </pre>
                    ) : (
                      <p className="text-sm text-red-700">
                        {out.field ? <>Column “{out.field}”: </> : null}
                        {out.message}. This row will be reported, not sent.
                      </p>
                    )}
                  </div>
                </div>
              </li>
            ))}
          </ol>
          {preview.rows.length === 0 && <p className="text-sm text-slate-500">No rows under the header in the part of the file read.</p>}
        </div>
      </div>

      <div className="flex flex-wrap items-end justify-between gap-4 border-t border-slate-100 bg-slate-50/70 px-5 py-4">
        <div className="flex flex-wrap items-center gap-2">
          <Button onClick={upload} disabled={touched && !ready}>
            Convert and upload
          </Button>
          <Button variant="ghost" onClick={onCancel}>
            Cancel
          </Button>
        </div>
        {canSave && (
          <div className="flex flex-wrap items-center gap-2">
            <label htmlFor="csv-save-name" className="text-sm font-medium text-slate-700">
              Save the mapping as a template
            </label>
            <div className="w-56">
              <Input name="csv-save-name" value={saveName} onChange={(e) => setSaveName(e.target.value)} placeholder="Template name" />
            </div>
            <Button variant="secondary" onClick={save} disabled={saving || !parsed.mapping}>
              {saving ? "Saving…" : "Save template"}
            </Button>
          </div>
        )}
        {saveState && (
          <p role={saveState.ok ? "status" : "alert"} className={cn("w-full text-right text-sm", saveState.ok ? "text-emerald-700" : "text-red-700")}>
            {saveState.message}
          </p>
        )}
      </div>
    </div>
  );
}
