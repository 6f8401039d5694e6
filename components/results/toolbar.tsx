"use client";
// The results browser's controls: outcome tabs, error code / finish reason / model filters (offering
// the values the batch holds), token sort, search, and the column chooser.
import { useEffect, useRef, useState } from "react";
import { useFormatter, useTranslations } from "next-intl";
import type { ResultFacets } from "@/lib/results/types";
import type { ResultParams, ResultSortParam, ResultStatusParam, TokenSort } from "@/lib/results/params";
import { buttonClass } from "@/components/ui/button";
import { cn } from "@/components/ui/cn";
import { RESULT_COLUMNS, type ResultColumnId } from "@/lib/results/columns";

const selectClass =
  "rounded-md border-0 bg-white py-1.5 pl-2.5 pr-8 text-sm text-slate-800 shadow-xs ring-1 ring-inset ring-slate-300 focus:ring-2 focus:ring-brand-500";

/** The orders offered, each named by its message (results.toolbar.sorts). */
export const SORT_OPTIONS: ResultSortParam[] = ["", "-total_tokens", "total_tokens", "-prompt_tokens", "prompt_tokens", "-completion_tokens", "completion_tokens"];
/** The sort's message key: "" → input, "-total_tokens" → total_tokens_desc. */
const sortKey = (v: ResultSortParam) =>
  (v === "" ? "input" : v.startsWith("-") ? `${v.slice(1)}_desc` : `${v}_asc`) as "input" | `${TokenSort}_${"asc" | "desc"}`;

export function StatusTabs({
  value,
  counts,
  onChange,
}: {
  value: ResultStatusParam;
  counts: { all: number; succeeded: number; failed: number };
  onChange: (v: ResultStatusParam) => void;
}) {
  const t = useTranslations("results.toolbar");
  const format = useFormatter();
  return (
    <div className="inline-flex rounded-md bg-slate-100 p-0.5" role="group" aria-label={t("show")}>
      {(
        [
          ["all", t("all"), counts.all],
          ["succeeded", t("succeeded"), counts.succeeded],
          ["failed", t("failed"), counts.failed],
        ] as [ResultStatusParam, string, number][]
      ).map(([v, label, count]) => (
        <button
          key={v}
          type="button"
          aria-pressed={value === v}
          onClick={() => onChange(v)}
          className={cn("rounded px-3 py-1 text-sm font-medium", value === v ? "bg-white text-slate-900 shadow-xs" : "text-slate-600 hover:text-slate-900")}
        >
          {label} <span className="tabular-nums text-slate-400">{format.number(count)}</span>
        </button>
      ))}
    </div>
  );
}

/** A filter over one field: hidden when the batch holds fewer than two values and none is chosen. */
export function FacetSelect({
  label,
  value,
  options,
  onChange,
}: {
  label: string;
  value: string;
  options: { value: string; n: number }[] | undefined;
  onChange: (v: string) => void;
}) {
  const t = useTranslations("results.toolbar");
  const format = useFormatter();
  const list = options ?? [];
  if (!value && list.length < 2) return null;
  // A value from a link that this batch does not hold still shows, so the filter can be cleared.
  const all = value && !list.some((o) => o.value === value) ? [{ value, n: 0 }, ...list] : list;
  return (
    <label className="inline-flex items-center gap-1.5 text-sm text-slate-600">
      <span className="sr-only">{label}</span>
      <select aria-label={label} value={value} onChange={(e) => onChange(e.target.value)} className={cn(selectClass, value && "ring-brand-400 bg-brand-50")}>
        <option value="">{t("any", { label })}</option>
        {all.map((o) => (
          <option key={o.value} value={o.value}>
            {o.value} ({format.number(o.n)})
          </option>
        ))}
      </select>
    </label>
  );
}

export function SortSelect({ value, onChange }: { value: ResultSortParam; onChange: (v: ResultSortParam) => void }) {
  const t = useTranslations("results.toolbar");
  return (
    <select aria-label={t("sort")} value={value} onChange={(e) => onChange(e.target.value as ResultSortParam)} className={cn(selectClass, value && "ring-brand-400 bg-brand-50")}>
      {SORT_OPTIONS.map((v) => (
        <option key={v} value={v}>
          {t(`sorts.${sortKey(v)}`)}
        </option>
      ))}
    </select>
  );
}

export function ColumnChooser({ columns, onChange }: { columns: ResultColumnId[]; onChange: (c: ResultColumnId[]) => void }) {
  const t = useTranslations("results");
  const [open, setOpen] = useState(false);
  const box = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (!open) return;
    const onDown = (e: MouseEvent) => !box.current?.contains(e.target as Node) && setOpen(false);
    const onKey = (e: KeyboardEvent) => e.key === "Escape" && setOpen(false);
    document.addEventListener("mousedown", onDown);
    document.addEventListener("keydown", onKey);
    return () => {
      document.removeEventListener("mousedown", onDown);
      document.removeEventListener("keydown", onKey);
    };
  }, [open]);
  const set = new Set(columns);
  return (
    <div ref={box} className="relative">
      <button type="button" aria-expanded={open} onClick={() => setOpen(!open)} className={buttonClass("secondary", "sm")}>
        {t("toolbar.columns")} <span className="tabular-nums text-slate-400">{columns.length}</span>
      </button>
      {open && (
        <fieldset className="absolute right-0 top-full z-30 mt-1 w-60 rounded-lg bg-white p-2 shadow-lg ring-1 ring-slate-200">
          <legend className="sr-only">{t("toolbar.columnsShown")}</legend>
          <p className="px-2 pb-1 text-xs text-slate-500">{t("toolbar.columnsNote")}</p>
          {RESULT_COLUMNS.map((c) => (
            <label key={c.id} className={cn("flex items-center gap-2 rounded px-2 py-1 text-sm", "fixed" in c ? "text-slate-400" : "text-slate-800 hover:bg-slate-50")}>
              <input
                type="checkbox"
                checked={set.has(c.id)}
                disabled={"fixed" in c}
                onChange={(e) => onChange(RESULT_COLUMNS.filter((x) => (x.id === c.id ? e.target.checked : set.has(x.id))).map((x) => x.id))}
              />
              {t(`columns.${c.id}`)}
            </label>
          ))}
        </fieldset>
      )}
    </div>
  );
}

/** The text of the active filters in the app's language, for empty states and the count line. */
export function useDescribeFilter(): (p: ResultParams) => string {
  const t = useTranslations("results.filter");
  const format = useFormatter();
  return (p) => {
    const parts: string[] = [];
    if (p.status !== "all") parts.push(t(p.status));
    if (p.code) parts.push(t("code", { code: p.code }));
    if (p.finish) parts.push(t("finish", { reason: p.finish }));
    if (p.model) parts.push(t("model", { model: p.model }));
    return format.list(parts, { type: "conjunction", style: "narrow" });
  };
}

/** English only: components use useDescribeFilter. */
export function describeFilter(p: ResultParams): string {
  const parts: string[] = [];
  if (p.status !== "all") parts.push(p.status);
  if (p.code) parts.push(`error ${p.code}`);
  if (p.finish) parts.push(`finish reason ${p.finish}`);
  if (p.model) parts.push(`model ${p.model}`);
  return parts.join(", ");
}

export type { ResultFacets };
