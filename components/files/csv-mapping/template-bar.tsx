"use client";
// Saved templates in the mapping step: choosing one fills the form (and says when the form has moved
// away from it); saving names the form as a template of the team, which is then the one chosen.
import { useState, type Dispatch } from "react";
import { useTranslations } from "next-intl";
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
  const t = useTranslations("csvMapping");
  if (templates.length === 0) return null;
  return (
    <Field label={t("savedTemplate")} name="csv-template" hint={chosen && changed ? t("templateChanged", { name: chosen.name }) : t("templateHint")}>
      <Select name="csv-template" value={value} onChange={(e) => onChoose(e.target.value)}>
        <option value="">{t("noTemplate")}</option>
        {templates.map((x) => (
          <option key={x.id} value={x.id}>
            {x.name}
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
  const t = useTranslations("csvMapping");
  const [name, setName] = useState("");
  const [saving, setSaving] = useState(false);

  const save = async () => {
    dispatch({ type: "touch" });
    if (!mapping) return;
    const trimmed = name.trim();
    if (!trimmed) {
      dispatch({ type: "saveFailed", message: t("nameTemplate") });
      return;
    }
    setSaving(true);
    const r = await saveTemplateAction({ name: trimmed, mapping });
    setSaving(false);
    if (r.ok) {
      dispatch({ type: "saved", template: { ...r.data, mapping }, message: t("savedAs", { name: r.data.name }) });
      setName("");
      onSaved(r.data);
    } else dispatch({ type: "saveFailed", message: r.message });
  };

  return (
    <>
      <div className="flex flex-wrap items-center gap-2">
        <label htmlFor="csv-save-name" className="text-sm font-medium text-slate-700">
          {t("saveLabel")}
        </label>
        <div className="w-56">
          <Input name="csv-save-name" value={name} onChange={(e) => setName(e.target.value)} placeholder={t("templateName")} />
        </div>
        <Button variant="secondary" onClick={save} disabled={saving || !mapping}>
          {saving ? t("saving") : t("save")}
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
