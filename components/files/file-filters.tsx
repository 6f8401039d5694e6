"use client";
// The Files list's search and filters: each choice changes the address (the list is read from it,
// so a filtered view can be shared and reloaded), back to the first page. Without JavaScript it is
// still a GET form on /files.
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useRef } from "react";
import { useTranslations } from "next-intl";
import { buttonClass } from "@/components/ui/button";
import { cn } from "@/components/ui/cn";
import { inputClass } from "@/components/ui/field";
import { fileListHref, hasFileFilter, FILE_STATUSES, FILE_TYPES, type FileFilter } from "@/lib/files/list-filter";

/** File types are named as they are in every language. */
const TYPE_LABELS: Record<(typeof FILE_TYPES)[number], string> = { jsonl: "JSONL", csv: "CSV" };

export function FileFilters({ filter }: { filter: FileFilter }) {
  const t = useTranslations("files.filters");
  const router = useRouter();
  const form = useRef<HTMLFormElement>(null);
  const apply = () => {
    if (!form.current) return;
    const data = new FormData(form.current);
    const text = (k: string) => String(data.get(k) ?? "").trim() || undefined;
    router.push(fileListHref({ q: text("q"), status: text("status") as FileFilter["status"], type: text("type") as FileFilter["type"] }));
  };
  const choice = (name: string, label: string, width: string, value: string | undefined, items: { value: string; label: string }[]) => (
    <label className={cn(width, "space-y-1 text-xs font-medium text-slate-600")} htmlFor={`files-${name}`}>
      <span className="block">{label}</span>
      <select id={`files-${name}`} name={name} defaultValue={value ?? ""} onChange={apply} className={cn(inputClass, "py-1.5")}>
        <option value="">{t("any")}</option>
        {items.map((i) => (
          <option key={i.value} value={i.value}>
            {i.label}
          </option>
        ))}
      </select>
    </label>
  );
  return (
    <form
      ref={form}
      method="get"
      action="/files"
      role="search"
      aria-label={t("label")}
      onSubmit={(e) => {
        e.preventDefault();
        apply();
      }}
      className="flex flex-wrap items-end gap-3 border-b border-slate-100 px-5 py-3"
    >
      <label className="min-w-48 flex-1 space-y-1 text-xs font-medium text-slate-600" htmlFor="files-q">
        <span className="block">{t("search")}</span>
        <input id="files-q" name="q" type="search" defaultValue={filter.q ?? ""} placeholder={t("placeholder")} className={cn(inputClass, "py-1.5")} />
      </label>
      {choice("status", t("status"), "w-36", filter.status, FILE_STATUSES.map((v) => ({ value: v, label: t(`statuses.${v}`) })))}
      {choice("type", t("type"), "w-28", filter.type, FILE_TYPES.map((v) => ({ value: v, label: TYPE_LABELS[v] })))}
      <button type="submit" className={buttonClass("secondary", "sm")}>
        {t("submit")}
      </button>
      {hasFileFilter(filter) && (
        <Link href="/files" className={buttonClass("ghost", "sm")}>
          {t("clear")}
        </Link>
      )}
    </form>
  );
}
