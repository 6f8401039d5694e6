"use client";
// The CSV step of the upload panel: how the columns become requests (custom_id, prompt template with
// clickable column chips, system prompt, model, parameters, provider extras, endpoint), and beside
// it the first requests exactly as they will be sent (request-preview.tsx). A saved template fills
// the form; the form can be saved as one (template-bar.tsx). The form's state is one reducer
// (mapping-state.ts); the mapping it describes, and what is wrong with it, are derived from it.
import { useCallback, useMemo, useReducer } from "react";
import { useTranslations } from "next-intl";
import { Button } from "@/components/ui/button";
import type { CsvMapping } from "@/lib/csv/mapping";
import { bindMapping } from "@/lib/csv/render";
import type { HeadPreview } from "@/lib/csv/types";
import { mappingFromForm, sameMapping, type TemplateOption } from "./csv-form";
import { FileReading } from "./file-reading";
import { IdFields } from "./id-fields";
import { chosenTemplate, initialMapping, mappingReducer, type SetField } from "./mapping-state";
import { EndpointField, ParamsFields } from "./params-fields";
import { PromptEditor } from "./prompt-editor";
import { RequestPreview } from "./request-preview";
import { SaveTemplate, TemplateChoice } from "./template-bar";

export function MappingStep({
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
  const t = useTranslations("csvMapping");
  const [state, dispatch] = useReducer(mappingReducer, undefined, () => initialMapping(preview.columns, templates, initialTemplateId));
  const { form, touched } = state;
  const set: SetField = useCallback((key, value) => dispatch({ type: "set", key, value }), []);

  const parsed = useMemo(() => mappingFromForm(form), [form]);
  // The template is bound to the header even before a model is chosen, so what is wrong with it
  // (a placeholder the file has no column for) shows at once, not only once a model is typed.
  const modelMissing = form.model.trim() === "";
  const forPreview = useMemo(() => (modelMissing ? mappingFromForm({ ...form, model: "model" }) : parsed), [form, parsed, modelMissing]);
  const bound = useMemo(() => (forPreview.mapping ? bindMapping(forPreview.mapping, preview.columns) : undefined), [forPreview, preview.columns]);
  // Errors of what was typed show at once; an empty field only once an upload or a save was tried.
  const errors = touched ? (parsed.errors ?? {}) : Object.fromEntries(Object.entries(parsed.errors ?? {}).filter(([k]) => form[k as keyof typeof form] !== ""));
  const ready = !!parsed.mapping && !modelMissing && bound?.problems.length === 0;
  const chosen = chosenTemplate(state, templates);
  const changed = chosen && parsed.mapping ? !sameMapping(chosen.mapping, parsed.mapping) : true;

  const upload = () => {
    dispatch({ type: "touch" });
    if (parsed.mapping && ready) onUpload(parsed.mapping, chosen ? chosen.id : undefined);
  };

  return (
    <div>
      <FileReading file={file} preview={preview} encoding={encoding} onEncoding={onEncoding} onCancel={onCancel} />

      <div className="grid gap-6 p-5 lg:grid-cols-[26rem_minmax(0,1fr)]">
        <div className="space-y-4">
          {target}
          <TemplateChoice templates={templates} value={state.templateId} chosen={chosen} changed={changed} onChoose={(id) => dispatch({ type: "choose", id, templates })} />
          <EndpointField form={form} set={set} />
          <IdFields form={form} columns={preview.columns} errors={errors} set={set} />
          <PromptEditor form={form} columns={preview.columns} errors={errors} set={set} />
          <ParamsFields form={form} errors={errors} set={set} />
        </div>

        <RequestPreview preview={preview} bound={bound} formErrors={parsed.errors} modelMissing={modelMissing} />
      </div>

      <div className="flex flex-wrap items-end justify-between gap-4 border-t border-slate-100 bg-slate-50/70 px-5 py-4">
        <div className="flex flex-wrap items-center gap-2">
          <Button onClick={upload} disabled={touched && !ready}>
            {t("convertUpload")}
          </Button>
          <Button variant="ghost" onClick={onCancel}>
            {t("cancel")}
          </Button>
        </div>
        {canSave && <SaveTemplate mapping={parsed.mapping} notice={state.saveNotice} dispatch={dispatch} onSaved={onTemplateSaved} />}
      </div>
    </div>
  );
}
