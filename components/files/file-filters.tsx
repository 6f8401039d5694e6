"use client";
// The Files list's search and filters: each choice changes the address (the list is read from it,
// so a filtered view can be shared and reloaded), back to the first page. Without JavaScript it is
// still a GET form on /files.
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useRef } from "react";
import { buttonClass } from "@/components/ui/button";
import { cn } from "@/components/ui/cn";
import { inputClass } from "@/components/ui/field";
import { fileListHref, hasFileFilter, FILE_STATUSES, FILE_TYPES, type FileFilter } from "@/lib/files/list-params";

const STATUS_LABELS: Record<(typeof FILE_STATUSES)[number], string> = { valid: "Valid", invalid: "Invalid", failed: "Failed", uploading: "Checking" };
const TYPE_LABELS: Record<(typeof FILE_TYPES)[number], string> = { jsonl: "JSONL", csv: "CSV" };

export function FileFilters({ filter }: { filter: FileFilter }) {
  const router = useRouter();
  const form = useRef<HTMLFormElement>(null);
  const apply = () => {
    if (!form.current) return;
    const data = new FormData(form.current);
    const text = (k: string) => String(data.get(k) ?? "").trim() || undefined;
    router.push(fileListHref({ q: text("q"), status: text("status") as FileFilter["status"], type: text("type") as FileFilter["type"] }));
  };
  const select = cn(inputClass, "py-1.5");
  return (
    <form
      ref={form}
      method="get"
      action="/files"
      role="search"
      aria-label="Filter files"
      onSubmit={(e) => {
        e.preventDefault();
        apply();
      }}
      className="flex flex-wrap items-end gap-3 border-b border-slate-100 px-5 py-3"
    >
      <label className="min-w-48 flex-1 space-y-1 text-xs font-medium text-slate-600" htmlFor="files-q">
        <span className="block">Search by name</span>
        <input id="files-q" name="q" type="search" defaultValue={filter.q ?? ""} placeholder="Part of the name" className={cn(inputClass, "py-1.5")} />
      </label>
      <label className="w-36 space-y-1 text-xs font-medium text-slate-600" htmlFor="files-status">
        <span className="block">Status</span>
        <select id="files-status" name="status" defaultValue={filter.status ?? ""} onChange={apply} className={select}>
          <option value="">Any</option>
          {FILE_STATUSES.map((s) => (
            <option key={s} value={s}>
              {STATUS_LABELS[s]}
            </option>
          ))}
        </select>
      </label>
      <label className="w-28 space-y-1 text-xs font-medium text-slate-600" htmlFor="files-type">
        <span className="block">Type</span>
        <select id="files-type" name="type" defaultValue={filter.type ?? ""} onChange={apply} className={select}>
          <option value="">Any</option>
          {FILE_TYPES.map((t) => (
            <option key={t} value={t}>
              {TYPE_LABELS[t]}
            </option>
          ))}
        </select>
      </label>
      <button type="submit" className={buttonClass("secondary", "sm")}>
        Search
      </button>
      {hasFileFilter(filter) && (
        <Link href="/files" className={buttonClass("ghost", "sm")}>
          Clear
        </Link>
      )}
    </form>
  );
}
