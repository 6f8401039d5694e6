"use client";
// Downloads of the current view: "Download CSV" at once, and ▾ for the rest (CSV for Excel with a
// byte order mark, plain CSV, Batchboard's JSONL, the provider's raw output and error files). When
// the requests came from a spreadsheet (a CSV upload, GBK or Excel's included), "Download CSV" is
// the one for Excel: it goes back to a spreadsheet, and without the mark Excel garbles Chinese.
// Every export takes the view's filter and order; CSV takes all fields or the columns shown.
import { useEffect, useLayoutEffect, useRef, useState } from "react";
import { useTranslations } from "next-intl";
import { resultParamsQuery, type ResultParams } from "@/lib/results/params";
import { buttonClass } from "@/components/ui/button";
import { cn } from "@/components/ui/cn";
import type { ColumnChoice } from "./use-columns";

export function DownloadMenu({
  batchId,
  params,
  filtered,
  choice,
  onChoice,
  hasSucceeded,
  hasFailed,
  hasSource,
}: {
  batchId: string;
  params: ResultParams;
  filtered: boolean;
  choice: ColumnChoice;
  onChoice: (next: Partial<ColumnChoice>) => void;
  hasSucceeded: boolean;
  hasFailed: boolean;
  hasSource: boolean;
}) {
  const t = useTranslations("files.download");
  const [open, setOpen] = useState(false);
  const box = useRef<HTMLDivElement>(null);
  const menu = useRef<HTMLDivElement>(null);
  // Near the bottom of the window the menu opens upwards when it fits there, else the page scrolls to it.
  const [up, setUp] = useState(false);
  useLayoutEffect(() => {
    if (!open || !menu.current || !box.current) return setUp(false);
    const m = menu.current.getBoundingClientRect();
    if (m.bottom <= window.innerHeight) return;
    if (box.current.getBoundingClientRect().top > m.height + 8) setUp(true);
    else menu.current.scrollIntoView({ block: "nearest" });
  }, [open]);
  useEffect(() => {
    if (!open) return;
    const onDown = (e: MouseEvent) => {
      if (!box.current?.contains(e.target as Node)) setOpen(false);
    };
    const onKey = (e: KeyboardEvent) => {
      if (e.key === "Escape") setOpen(false);
    };
    document.addEventListener("mousedown", onDown);
    document.addEventListener("keydown", onKey);
    return () => {
      document.removeEventListener("mousedown", onDown);
      document.removeEventListener("keydown", onKey);
    };
  }, [open]);

  const guide = choice.exportColumns === "guide";
  const cols = choice.exportColumns === "shown" ? choice.columns.join(",") : undefined;
  const source = hasSource && !choice.sourceColumns && !guide ? "0" : undefined;
  const csv = (bom: boolean) =>
    `/api/batches/${batchId}/export.csv${resultParamsQuery(params, { cols, source, layout: guide ? "guide" : undefined, bom: bom ? "1" : undefined })}`;
  const jsonl = `/api/batches/${batchId}/export.jsonl${resultParamsQuery(params)}`;
  const scope = filtered ? t("scopeView") : t("scopeAll");
  const item = "block rounded px-3 py-2 text-sm text-slate-800 hover:bg-slate-100";

  return (
    <div ref={box} className="relative inline-flex">
      <a
        href={csv(hasSource)}
        download
        className={cn(buttonClass("primary", "sm"), "rounded-r-none")}
        title={t(hasSource ? "titleExcel" : "title", { scope })}
      >
        {t("csv")}
        {filtered && t("filtered")}
      </a>
      <button
        type="button"
        aria-haspopup="true"
        aria-expanded={open}
        aria-label={t("more")}
        onClick={() => setOpen(!open)}
        className={cn(buttonClass("primary", "sm"), "rounded-l-none border-l border-brand-700 px-2")}
      >
        ▾
      </button>
      {open && (
        <div
          ref={menu}
          role="group"
          aria-label={t("group")}
          className={cn("absolute right-0 z-30 w-80", up ? "bottom-full mb-1" : "top-full mt-1", "rounded-lg bg-white p-1.5 shadow-lg ring-1 ring-slate-200")}
        >
          <p className="px-3 pb-1 pt-1.5 text-xs text-slate-500">
            {filtered ? t("noteView") : t("noteAll")}
          </p>
          <a href={csv(true)} download className={item} onClick={() => setOpen(false)}>
            <span className="font-medium">{t("excel")}</span>
            <span className="block text-xs text-slate-500">{t("excelHint")}</span>
          </a>
          <a href={csv(false)} download className={item} onClick={() => setOpen(false)}>
            <span className="font-medium">{t("plain")}</span>
            <span className="block text-xs text-slate-500">{t("plainHint")}</span>
          </a>
          <a href={jsonl} download className={item} onClick={() => setOpen(false)}>
            <span className="font-medium">{t("jsonl")}</span>
            <span className="block text-xs text-slate-500">{t("jsonlHint")}</span>
          </a>
          <fieldset className="mx-3 my-1.5 border-t border-slate-100 pt-2 text-xs text-slate-700">
            <legend className="sr-only">{t("columns")}</legend>
            <p className="mb-1 font-medium text-slate-500">{t("columns")}</p>
            <label className="flex items-center gap-2 py-0.5">
              <input type="radio" name="csv-columns" checked={choice.exportColumns === "all"} onChange={() => onChoice({ exportColumns: "all" })} />
              {t("allFields")}
            </label>
            <label className="flex items-center gap-2 py-0.5">
              <input type="radio" name="csv-columns" checked={choice.exportColumns === "shown"} onChange={() => onChoice({ exportColumns: "shown" })} />
              {t("shown", { count: choice.columns.length })}
            </label>
            <label className="flex items-center gap-2 py-0.5" title="custom_id, model, request_id, status_code, error_code, error_message, created, content, usage">
              <input type="radio" name="csv-columns" checked={guide} onChange={() => onChoice({ exportColumns: "guide" })} />
              {t("guide")}
            </label>
            {hasSource && !guide && (
              <label className="flex items-center gap-2 py-0.5">
                <input type="checkbox" checked={choice.sourceColumns} onChange={(e) => onChoice({ sourceColumns: e.target.checked })} />
                {t("source")}
              </label>
            )}
          </fieldset>
          {(hasSucceeded || hasFailed) && (
            <div className="mt-1 border-t border-slate-100 pt-1">
              <p className="px-3 pb-0.5 pt-1.5 text-xs text-slate-500">{t("raw")}</p>
              {hasSucceeded && (
                <a href={`/api/batches/${batchId}/output.jsonl`} download className={item} onClick={() => setOpen(false)}>
                  {t("rawOutput")}
                </a>
              )}
              {hasFailed && (
                <a href={`/api/batches/${batchId}/errors.jsonl`} download className={item} onClick={() => setOpen(false)}>
                  {t("rawErrors")}
                </a>
              )}
            </div>
          )}
        </div>
      )}
    </div>
  );
}
