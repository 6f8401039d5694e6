"use client";
// Batch A and batch B, chosen from the team's finished batches. A GET form: the choice lands in the
// URL (?a=&b=), so the view can be shared, and it works before any script has loaded. With
// scripts, choosing a batch compares at once.
import Form from "next/form";
import Link from "next/link";
import { useTranslations } from "next-intl";
import { buttonClass } from "@/components/ui/button";
import { Select } from "@/components/ui/field";
import { compareQuery } from "@/lib/compare/params";

export interface PickerBatch {
  id: string;
  label: string;
  inputFileId: string;
}

export function ComparePicker({ batches, a, b }: { batches: PickerBatch[]; a: string; b: string }) {
  const t = useTranslations("compare.picker");
  const fileOfA = batches.find((x) => x.id === a)?.inputFileId;
  return (
    <Form action="/compare" className="grid items-end gap-3 md:grid-cols-[1fr_auto_1fr_auto]" onChange={(e) => e.currentTarget.requestSubmit()}>
      <div className="min-w-0 space-y-1.5">
        <label htmlFor="a" className="block text-sm font-medium text-slate-800">
          {t("batchA")}
        </label>
        <Select name="a" defaultValue={a} key={`a-${a}`}>
          <option value="">{t("choose")}</option>
          {batches.map((x) => (
            <option key={x.id} value={x.id}>
              {x.label}
            </option>
          ))}
        </Select>
      </div>
      <Link
        href={`/compare${compareQuery({ a: b, b: a })}`}
        className={buttonClass("ghost", "sm") + " mb-1 justify-self-center"}
        title={t("swap")}
        aria-label={t("swap")}
      >
        ⇄
      </Link>
      <div className="min-w-0 space-y-1.5">
        <label htmlFor="b" className="block text-sm font-medium text-slate-800">
          {t("batchB")}
        </label>
        <Select name="b" defaultValue={b} key={`b-${b}`}>
          <option value="">{t("choose")}</option>
          {fileOfA ? (
            <>
              <optgroup label={t("sameFile")}>{options(batches.filter((x) => x.inputFileId === fileOfA && x.id !== a))}</optgroup>
              <optgroup label={t("otherBatches")}>{options(batches.filter((x) => x.inputFileId !== fileOfA || x.id === a))}</optgroup>
            </>
          ) : (
            options(batches)
          )}
        </Select>
      </div>
      <button type="submit" className={buttonClass("primary")}>
        {t("compare")}
      </button>
    </Form>
  );
}

function options(list: PickerBatch[]) {
  return list.map((x) => (
    <option key={x.id} value={x.id}>
      {x.label}
    </option>
  ));
}
