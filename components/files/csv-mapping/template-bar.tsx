"use client";
// Saved templates in the mapping step: choosing one fills the form (and says when the form has moved
// away from it); saving names the form as a template of the team, which is then the one chosen.
import { useState, type Dispatch } from "react";
import { Button } from "@/components/ui/button";
import { cn } from "@/components/ui/cn";
import { Field, Input, Select } from "@/components/ui/field";
import type { CsvMapping } from "@/lib/csv/mapping";
import { saveTemplateAction } from "@/lib/templates/templates.action";
import type { TemplateOption } from "./csv-form";
import type { MappingAction, MappingState } from "./mapping-state";

export function TemplateChoice({
  templates,
  value,
  chosen,
  changed,
  onChoose,
}: {
  templates: TemplateOption[];
  value: string;
  chosen: TemplateOption | undefined;
  /** The form is no longer the chosen template as saved. */
  changed: boolean;
  onChoose: (id: string) => void;
}) {
  if (templates.length === 0) return null;
  return (
    <Field label="Saved template" name="csv-template" hint={chosen && changed ? `Changed from "${chosen.name}": the upload uses the form as it is now.` : "Fills the form; you can still change it."}>
      <Select name="csv-template" value={value} onChange={(e) => onChoose(e.target.value)}>
        <option value="">None: map the columns here</option>
        {templates.map((t) => (
          <option key={t.id} value={t.id}>
            {t.name}
          </option>
        ))}
      </Select>
    </Field>
  );
}

export function SaveTemplate({
  mapping,
  notice,
  dispatch,
  onSaved,
}: {
  /** The form's mapping; undefined while the form has errors. */
  mapping: CsvMapping | undefined;
  notice: MappingState["saveNotice"];
  dispatch: Dispatch<MappingAction>;
  onSaved: (t: { id: string; name: string }) => void;
}) {
  const [name, setName] = useState("");
  const [saving, setSaving] = useState(false);

  const save = async () => {
    dispatch({ type: "touch" });
    if (!mapping) return;
    const trimmed = name.trim();
    if (!trimmed) {
      dispatch({ type: "saveFailed", message: "Name the template." });
      return;
    }
    setSaving(true);
    const r = await saveTemplateAction({ name: trimmed, mapping });
    setSaving(false);
    if (r.ok) {
      dispatch({ type: "saved", template: { ...r.data, mapping }, message: `Saved as "${r.data.name}". Teammates can use it on their CSV files.` });
      setName("");
      onSaved(r.data);
    } else dispatch({ type: "saveFailed", message: r.message });
  };

  return (
    <>
      <div className="flex flex-wrap items-center gap-2">
        <label htmlFor="csv-save-name" className="text-sm font-medium text-slate-700">
          Save the mapping as a template
        </label>
        <div className="w-56">
          <Input name="csv-save-name" value={name} onChange={(e) => setName(e.target.value)} placeholder="Template name" />
        </div>
        <Button variant="secondary" onClick={save} disabled={saving || !mapping}>
          {saving ? "Saving…" : "Save template"}
        </Button>
      </div>
      {notice && (
        <p role={notice.ok ? "status" : "alert"} className={cn("w-full text-right text-sm", notice.ok ? "text-emerald-700" : "text-red-700")}>
          {notice.message}
        </p>
      )}
    </>
  );
}
