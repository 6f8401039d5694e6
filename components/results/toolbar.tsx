"use client";
// The results browser's controls: outcome tabs, error code / finish reason / model filters (offering
// the values the batch holds), token sort, search, and the column chooser.
import { useEffect, useRef, useState } from "react";
import type { ResultFacets } from "@/lib/results/types";
import type { ResultParams, ResultSortParam, ResultStatusParam } from "@/lib/results/params";
import { buttonClass } from "@/components/ui/button";
import { cn } from "@/components/ui/cn";
import { num } from "@/components/batches/fetch-json";
import { RESULT_COLUMNS, type ResultColumnId } from "@/lib/results/columns";

const selectClass =
  "rounded-md border-0 bg-white py-1.5 pl-2.5 pr-8 text-sm text-slate-800 shadow-xs ring-1 ring-inset ring-slate-300 focus:ring-2 focus:ring-brand-500";

export const SORT_OPTIONS: [ResultSortParam, string][] = [
  ["", "Input order"],
  ["-total_tokens", "Total tokens, most first"],
  ["total_tokens", "Total tokens, fewest first"],
  ["-prompt_tokens", "Prompt tokens, most first"],
  ["prompt_tokens", "Prompt tokens, fewest first"],
  ["-completion_tokens", "Completion tokens, most first"],
  ["completion_tokens", "Completion tokens, fewest first"],
];

export function StatusTabs({
  value,
  counts,
  onChange,
}: {
  value: ResultStatusParam;
  counts: { all: number; succeeded: number; failed: number };
  onChange: (v: ResultStatusParam) => void;
}) {
  return (
    <div className="inline-flex rounded-md bg-slate-100 p-0.5" role="group" aria-label="Show results">
      {(
        [
          ["all", "All", counts.all],
          ["succeeded", "Succeeded", counts.succeeded],
          ["failed", "Failed", counts.failed],
        ] as [ResultStatusParam, string, number][]
      ).map(([v, label, count]) => (
        <button
          key={v}
          type="button"
          aria-pressed={value === v}
          onClick={() => onChange(v)}
          className={cn("rounded px-3 py-1 text-sm font-medium", value === v ? "bg-white text-slate-900 shadow-xs" : "text-slate-600 hover:text-slate-900")}
        >
          {label} <span className="tabular-nums text-slate-400">{num(count)}</span>
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
  const list = options ?? [];
  if (!value && list.length < 2) return null;
  // A value from a link that this batch does not hold still shows, so the filter can be cleared.
  const all = value && !list.some((o) => o.value === value) ? [{ value, n: 0 }, ...list] : list;
  return (
    <label className="inline-flex items-center gap-1.5 text-sm text-slate-600">
      <span className="sr-only">{label}</span>
      <select aria-label={label} value={value} onChange={(e) => onChange(e.target.value)} className={cn(selectClass, value && "ring-brand-400 bg-brand-50")}>
        <option value="">{`Any ${label.toLowerCase()}`}</option>
        {all.map((o) => (
          <option key={o.value} value={o.value}>
            {o.value} ({num(o.n)})
          </option>
        ))}
      </select>
    </label>
  );
}

export function SortSelect({ value, onChange }: { value: ResultSortParam; onChange: (v: ResultSortParam) => void }) {
  return (
    <select aria-label="Sort" value={value} onChange={(e) => onChange(e.target.value as ResultSortParam)} className={cn(selectClass, value && "ring-brand-400 bg-brand-50")}>
      {SORT_OPTIONS.map(([v, label]) => (
        <option key={v} value={v}>
          {label}
        </option>
      ))}
    </select>
  );
}

export function ColumnChooser({ columns, onChange }: { columns: ResultColumnId[]; onChange: (c: ResultColumnId[]) => void }) {
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
        Columns <span className="tabular-nums text-slate-400">{columns.length}</span>
      </button>
      {open && (
        <fieldset className="absolute right-0 top-full z-30 mt-1 w-60 rounded-lg bg-white p-2 shadow-lg ring-1 ring-slate-200">
          <legend className="sr-only">Columns shown</legend>
          <p className="px-2 pb-1 text-xs text-slate-500">Shown in the table (and in “only the columns shown” downloads). Remembered in this browser.</p>
          {RESULT_COLUMNS.map((c) => (
            <label key={c.id} className={cn("flex items-center gap-2 rounded px-2 py-1 text-sm", "fixed" in c ? "text-slate-400" : "text-slate-800 hover:bg-slate-50")}>
              <input
                type="checkbox"
                checked={set.has(c.id)}
                disabled={"fixed" in c}
                onChange={(e) => onChange(RESULT_COLUMNS.filter((x) => (x.id === c.id ? e.target.checked : set.has(x.id))).map((x) => x.id))}
              />
              {c.label}
            </label>
          ))}
        </fieldset>
      )}
    </div>
  );
}

/** The text of the active filters, for empty states and the count line. */
export function describeFilter(p: ResultParams): string {
  const parts: string[] = [];
  if (p.status !== "all") parts.push(p.status);
  if (p.code) parts.push(`error ${p.code}`);
  if (p.finish) parts.push(`finish reason ${p.finish}`);
  if (p.model) parts.push(`model ${p.model}`);
  return parts.join(", ");
}

export type { ResultFacets };
