"use client";
// Beside the form: the first rows of the file and each one's request exactly as it will be sent,
// rendered by the code the server converts with (lib/csv/render.ts bindMapping), or why the row will
// be reported instead. Above them, what is wrong with the mapping for this header (a placeholder
// the file has no column for), or, while the form is incomplete, its first error.
import { useMemo } from "react";
import { useFormatter, useTranslations } from "next-intl";
import type { BoundMapping } from "@/lib/csv/render";
import type { HeadPreview } from "@/lib/csv/types";
import type { FormErrors } from "./csv-form";

export function RequestPreview({
  preview,
  bound,
  formErrors,
  modelMissing,
}: {
  preview: HeadPreview;
  bound: BoundMapping | undefined;
  formErrors: FormErrors | undefined;
  /** No model yet: the header's problems show, the requests wait for the model. */
  modelMissing?: boolean;
}) {
  const t = useTranslations("csvMapping");
  const format = useFormatter();
  const rendered = useMemo(
    () =>
      preview.rows.map((r) => {
        const cells = r.cells.length >= preview.columns.length ? r.cells : [...r.cells, ...Array(preview.columns.length - r.cells.length).fill("")];
        return { row: r.row, cells, out: bound && !modelMissing && bound.problems.length === 0 ? bound.render(cells, r.row) : undefined };
      }),
    [preview.rows, preview.columns.length, bound, modelMissing],
  );
  const headerProblems = bound?.problems ?? [];

  return (
    // Stays in view while the form beside it scrolls.
    <div className="min-w-0 space-y-3 lg:sticky lg:top-4 lg:self-start">
      <div className="flex items-baseline justify-between gap-3">
        <h3 className="text-sm font-semibold text-slate-900">{t("previewTitle")}</h3>
        <span className="text-xs text-slate-500">{t("previewNote")}</span>
      </div>
      {headerProblems.length > 0 && (
        <ul role="alert" className="space-y-1 rounded-md bg-amber-50 px-4 py-3 text-sm text-amber-900 ring-1 ring-inset ring-amber-200">
          {headerProblems.map((p, i) => (
            <li key={i}>{p.message}</li>
          ))}
        </ul>
      )}
      {bound && modelMissing && headerProblems.length === 0 && (
        <p className="rounded-md bg-slate-50 px-4 py-3 text-sm text-slate-600 ring-1 ring-inset ring-slate-200">{t("chooseModel")}</p>
      )}
      {!bound && (
        <p className="rounded-md bg-slate-50 px-4 py-3 text-sm text-slate-600 ring-1 ring-inset ring-slate-200">
          {t("toSee", { reason: Object.values(formErrors ?? {})[0] ?? t("complete") })}
        </p>
      )}
      <ol className="space-y-3" aria-label={t("previewList")}>
        {rendered.map(({ row, cells, out }) => (
          <li key={row} className="overflow-hidden rounded-lg ring-1 ring-slate-200">
            <div className="grid gap-0 md:grid-cols-[minmax(0,14rem)_minmax(0,1fr)]">
              <div className="border-b border-slate-100 bg-slate-50/70 px-3 py-2 md:border-b-0 md:border-r">
                <p className="text-xs font-semibold text-slate-700">{t("row", { row: format.number(row) })}</p>
                <dl className="mt-1 space-y-0.5 text-xs">
                  {preview.columns.map((c, i) => (
                    <div key={`${c}-${i}`} className="flex gap-1.5">
                      <dt className="shrink-0 font-mono text-slate-500">{c || t("columnN", { n: i + 1 })}:</dt>
                      <dd className="min-w-0 truncate text-slate-800" title={cells[i]}>
                        {cells[i] === "" ? <span className="text-slate-400">{t("empty")}</span> : cells[i]}
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
                    {out.field ? t("rowReportedColumn", { column: out.field, message: out.message }) : t("rowReported", { message: out.message })}
                  </p>
                )}
              </div>
            </div>
          </li>
        ))}
      </ol>
      {preview.rows.length === 0 && <p className="text-sm text-slate-500">{t("noRows")}</p>}
    </div>
  );
}
