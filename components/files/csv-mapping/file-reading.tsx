"use client";
// The top of the mapping step: the file, how its start was read (columns, delimiter, encoding, byte
// order mark, how many rows the preview shows), the encoding to read it as instead, and the way
// back; under it, the problems the first rows already have.
import { useFormatter, useLocale, useTranslations } from "next-intl";
import { Button } from "@/components/ui/button";
import { Select } from "@/components/ui/field";
import { formatBytes } from "@/lib/files/format";
import type { HeadPreview } from "@/lib/csv/types";
import { DELIMITERS, ENCODINGS, encodingName } from "./encodings";

export function FileReading({
  file,
  preview,
  encoding,
  onEncoding,
  onCancel,
}: {
  file: File;
  preview: HeadPreview;
  /** "" while the encoding is the one found. */
  encoding: string;
  onEncoding: (encoding: string) => void;
  onCancel: () => void;
}) {
  const t = useTranslations("csvMapping");
  const locale = useLocale();
  const format = useFormatter();
  const name = (value: string) => encodingName(value, (k) => t(k));
  const delimiter = DELIMITERS[preview.delimiter] ? t(`delimiters.${DELIMITERS[preview.delimiter]}`) : preview.delimiter;
  return (
    <>
      <div className="flex flex-wrap items-center justify-between gap-3 border-b border-slate-100 bg-slate-50/70 px-5 py-3">
        <div className="min-w-0 text-sm">
          <p className="truncate font-medium text-slate-900" title={file.name}>
            {file.name} <span className="font-normal text-slate-500">· {formatBytes(file.size, locale)}</span>
          </p>
          <p className="text-xs text-slate-600">
            {t("reading", { columns: preview.columns.length, delimiter, encoding: name(preview.encoding) })}
            {preview.bom ? t("readingBom") : ""}
            {encoding ? t("readingChosen") : ""}
            {t("firstRows", { count: preview.rows.length })}
            {preview.partial ? "" : t("allRows")}
            {t("readingEnd")}
          </p>
        </div>
        <div className="flex flex-wrap items-center gap-2">
          <label htmlFor="csv-encoding" className="whitespace-nowrap text-xs font-medium text-slate-600">
            {t("encoding")}
          </label>
          <div className="w-60 max-w-full">
            <Select name="csv-encoding" value={encoding} onChange={(e) => onEncoding(e.target.value)} className="py-1.5 text-xs">
              <option value="">{t("detect", { encoding: name(preview.encoding).split(" ")[0] })}</option>
              {ENCODINGS.map((e) => (
                <option key={e.value} value={e.value}>
                  {name(e.value)}
                </option>
              ))}
            </Select>
          </div>
          <Button variant="ghost" size="sm" onClick={onCancel} className="whitespace-nowrap">
            {t("chooseAnother")}
          </Button>
        </div>
      </div>

      {preview.problems.length > 0 && (
        <div role="alert" className="border-b border-red-100 bg-red-50 px-5 py-3 text-sm text-red-800">
          <p className="font-medium">{t("firstProblems", { count: preview.problemCount })}</p>
          <ul className="mt-1 list-disc space-y-0.5 pl-5">
            {preview.problems.slice(0, 5).map((p, i) => (
              <li key={i}>
                {p.field ? t("rowColumnProblem", { row: format.number(p.line), column: p.field, message: p.message }) : t("rowProblem", { row: format.number(p.line), message: p.message })}
              </li>
            ))}
          </ul>
        </div>
      )}
    </>
  );
}
