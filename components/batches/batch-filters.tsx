"use client";
// The batches list's filters: each choice changes the address (the list is read from it, so a
// filtered view can be shared and reloaded), back to the newest page. Without JavaScript the form
// still works: it is a GET form on /batches. On a phone only the search shows until "More filters"
// (or a filter in use) opens the rest: the seven choices filled the first screen above the list.
import { useRouter } from "next/navigation";
import { useRef, useState } from "react";
import { useTranslations } from "next-intl";
import Link from "next/link";
import { batchListHref, BATCH_STATUSES, filtersOf, hasFilters, type BatchListParams } from "@/lib/batches/read/list-params";
import type { BatchListFilterOptions } from "@/lib/batches/read/list-options";
import { buttonClass } from "@/components/ui/button";
import { inputClass } from "@/components/ui/field";
import { cn } from "@/components/ui/cn";

export function BatchFilters({ params, options }: { params: BatchListParams; options: BatchListFilterOptions }) {
  const router = useRouter();
  const t = useTranslations("batches.filters");
  const ts = useTranslations("batches.status");
  const form = useRef<HTMLFormElement>(null);
  const inUse = (["status", "source", "provider", "connection", "member", "from", "to"] as const).filter((k) => params[k]).length;
  const [more, setMore] = useState(inUse > 0);
  const apply = () => {
    if (!form.current) return;
    const data = new FormData(form.current);
    const next: BatchListParams = {};
    for (const [k, v] of data.entries()) if (typeof v === "string" && v.trim()) (next as Record<string, string>)[k] = v.trim();
    router.push(batchListHref(filtersOf(next)));
  };
  const select = "block w-full rounded-md border-0 bg-white py-1.5 pl-2 pr-8 text-sm text-slate-900 shadow-xs ring-1 ring-inset ring-slate-300 focus:ring-2 focus:ring-brand-500";
  const field = (name: string, text: string, control: React.ReactNode) => (
    // Hidden fields still send their values with the form.
    <label className={cn("min-w-0 space-y-1 text-xs font-medium text-slate-600", name === "q" || more ? "block" : "hidden sm:block")} htmlFor={`f-${name}`}>
      <span className="block">{text}</span>
      {control}
    </label>
  );
  const choice = (name: string, text: string, value: string | undefined, any: string, items: { value: string; label: string }[]) =>
    field(
      name,
      text,
      <select id={`f-${name}`} name={name} defaultValue={value ?? ""} onChange={apply} className={select}>
        <option value="">{any}</option>
        {items.map((i) => (
          <option key={i.value} value={i.value}>
            {i.label}
          </option>
        ))}
      </select>,
    );
  return (
    <form
      ref={form}
      method="get"
      action="/batches"
      role="search"
      aria-label={t("label")}
      onSubmit={(e) => {
        e.preventDefault();
        apply();
      }}
      className="mb-4 grid grid-cols-2 gap-3 rounded-lg bg-white p-3 shadow-xs ring-1 ring-slate-200 sm:grid-cols-4 lg:grid-cols-6"
    >
      <div className="col-span-2">
        {field(
          "q",
          t("search"),
          <input id="f-q" name="q" type="search" defaultValue={params.q ?? ""} placeholder={t("searchPlaceholder")} className={cn(inputClass, "py-1.5")} />,
        )}
      </div>
      {choice("status", t("status"), params.status?.toLowerCase(), t("any"), BATCH_STATUSES.map((s) => ({ value: s.toLowerCase(), label: ts(s) })))}
      {choice("source", t("source"), params.source, t("any"), [
        { value: "browser", label: t("browser") },
        { value: "api", label: "API" },
        { value: "import", label: t("imported") },
      ])}
      {choice("provider", t("provider"), params.provider, t("any"), options.providers.map((p) => ({ value: p.kind, label: p.label })))}
      {choice("connection", t("connection"), params.connection, t("any"), options.connections.map((c) => ({ value: c.id, label: c.name })))}
      {choice("member", t("member"), params.member, t("anyone"), options.members.map((m) => ({ value: m.id, label: m.name })))}
      {field("from", t("from"), <input id="f-from" name="from" type="date" defaultValue={params.from ?? ""} onChange={apply} className={cn(inputClass, "py-1.5")} />)}
      {field("to", t("to"), <input id="f-to" name="to" type="date" defaultValue={params.to ?? ""} onChange={apply} className={cn(inputClass, "py-1.5")} />)}
      {/* Six columns from lg: wide enough for a date ("mm/dd/yyyy") and "Anyone" beside the sidebar at 1280; the buttons end the second row. */}
      <div className="col-span-2 flex items-end gap-2 sm:col-span-4 lg:col-span-3">
        <button type="submit" className={buttonClass("secondary", "sm")}>
          {t("submit")}
        </button>
        <button type="button" aria-expanded={more} onClick={() => setMore(!more)} className={cn(buttonClass("ghost", "sm"), "sm:hidden")}>
          {more ? t("fewer") : t("more", { count: inUse })}
        </button>
        {hasFilters(params) && (
          <Link href="/batches" className="text-sm text-brand-700 hover:underline">
            {t("clear")}
          </Link>
        )}
      </div>
    </form>
  );
}
