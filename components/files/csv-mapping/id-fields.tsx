"use client";
// Where each request's custom_id comes from: a column of the file, or the row number after a prefix
// (row-000002 for the first row under the header: spreadsheet rows count the header as row 1).
import { useTranslations } from "next-intl";
import { Input, Select } from "@/components/ui/field";
import type { FormErrors, MappingForm } from "./csv-form";
import type { SetField } from "./mapping-state";

export function IdFields({ form, columns, errors, set }: { form: MappingForm; columns: string[]; errors: FormErrors; set: SetField }) {
  const t = useTranslations("csvMapping");
  return (
    <fieldset className="space-y-2">
      <legend className="text-sm font-medium text-slate-800">{t("customId")}</legend>
      <div className="flex gap-4 text-sm text-slate-700">
        <label className="flex items-center gap-1.5">
          <input type="radio" name="csv-id-from" checked={form.idFrom === "column"} onChange={() => set("idFrom", "column")} /> {t("fromColumn")}
        </label>
        <label className="flex items-center gap-1.5">
          <input type="radio" name="csv-id-from" checked={form.idFrom === "row"} onChange={() => set("idFrom", "row")} /> {t("fromRow")}
        </label>
      </div>
      {form.idFrom === "column" ? (
        <Select name="csv-id-column" aria-label={t("idColumn")} value={form.idColumn} onChange={(e) => set("idColumn", e.target.value)} error={errors.idColumn}>
          <option value="">{t("chooseColumn")}</option>
          {columns.map((c) => (
            <option key={c} value={c}>
              {c}
            </option>
          ))}
        </Select>
      ) : (
        <div className="flex items-center gap-2 text-sm text-slate-600">
          <div className="w-28 shrink-0">
            <Input name="csv-id-prefix" aria-label={t("idPrefix")} value={form.idPrefix} onChange={(e) => set("idPrefix", e.target.value)} className="font-mono" />
          </div>
          <span>{t.rich("rowNumber", { example: `${form.idPrefix}000002`, mono: (chunks) => <span className="font-mono text-xs">{chunks}</span> })}</span>
        </div>
      )}
      {errors.idColumn && <p className="text-xs text-red-600">{errors.idColumn}</p>}
    </fieldset>
  );
}
