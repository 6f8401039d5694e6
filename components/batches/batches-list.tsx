"use client";
// The batches table, kept fresh while any batch on the page is still running: what ran where, its
// model, requests, tokens, cost and duration. Paged by position (Newer / Older), filters in the address.
import Link from "next/link";
import { useQuery } from "@tanstack/react-query";
import { useTranslations } from "next-intl";
import type { BatchListPage } from "@/lib/batches/read/list";
import { batchListHref, filtersOf, hasFilters, type BatchListParams } from "@/lib/batches/read/list-params";
import { useMoney } from "@/components/ui/money";
import { buttonClass } from "@/components/ui/button";
import { EmptyState } from "@/components/ui/card";
import { StatusBadge } from "@/components/ui/status-badge";
import { cardTable } from "@/components/ui/card-table";
import { fetchJson, num } from "./fetch-json";
import { ImportedBadge } from "./imported-badge";
import { DryRunBadge } from "./dry-run-badge";
import { ProgressBar } from "./progress-bar";
import { RelativeTime, useDuration } from "@/components/ui/time";
import { PartLabel } from "@/components/jobs/part-of-job";
import { SampleBatchButton } from "./sample-batch-button";

/** "1.2M", "34k", "950": tokens at a glance (the exact figure is in the title). */
export function compact(n: number): string {
  return n >= 1e6 ? `${(n / 1e6).toFixed(n >= 1e7 ? 0 : 1)}M` : n >= 1e4 ? `${Math.round(n / 1e3)}k` : num(n);
}

/** Who made it and how: "by Ada", "by Ada · API: nightly-eval", "imported". */
function SourceLabel({ b }: { b: BatchListPage["rows"][number] }) {
  const t = useTranslations("batches.list");
  const by = b.createdBy ? t("by", { name: b.createdBy }) : "";
  if (b.source === "import") return <>{by ? `${by} · ${t("imported")}` : t("imported")}</>;
  if (b.source === "api") {
    return (
      <span title={b.token ? t("viaToken", { token: b.token }) : t("viaDeletedToken")}>
        {by ? `${by} · ` : ""}API{b.token ? `: ${b.token}` : ""}
      </span>
    );
  }
  return <>{by}</>;
}

export function BatchesList({ initial, params, canRun = false }: { initial: BatchListPage; params: BatchListParams; canRun?: boolean }) {
  const formatMoney = useMoney();
  const t = useTranslations("batches.list");
  const ts = useTranslations("sample");
  const formatDuration = useDuration();
  const self = batchListHref(params, "/api/batches");
  const { data } = useQuery({
    queryKey: ["batches", self],
    queryFn: ({ signal }) => fetchJson<BatchListPage>(self, signal),
    initialData: initial,
    refetchInterval: (q) => (q.state.data?.rows.some((r) => r.live) ? 3000 : false),
  });

  if (data.total === 0 && hasFilters(params)) {
    return (
      <EmptyState
        title={t("noMatch")}
        action={
          <Link href="/batches" className={buttonClass("secondary")}>
            {t("clearFilters")}
          </Link>
        }
      >
        {t("noMatchHint")}
      </EmptyState>
    );
  }
  if (data.total === 0) {
    return (
      <EmptyState
        title={t("emptyTitle")}
        action={
          canRun ? (
            <div className="flex flex-col items-center gap-4">
              <SampleBatchButton />
              <div className="flex gap-3">
                <Link href="/files" className={buttonClass("secondary")}>
                  {t("uploadFile")}
                </Link>
                <Link href="/batches/new" className={buttonClass("secondary")}>
                  {t("launchBatch")}
                </Link>
              </div>
            </div>
          ) : undefined
        }
      >
        {t("emptyIntro")} {canRun ? ts("emptyIntro") : t("emptyViewer")}
      </EmptyState>
    );
  }

  return (
    <div className="overflow-hidden rounded-lg bg-white shadow-xs ring-1 ring-slate-200">
      <div className="relative overflow-x-auto">
        {/* From md a table; below it each batch is a card of its own (name and status, the progress, the
            figures labelled, when and by whom): a phone sees every column without scrolling sideways. */}
        <table className={`${cardTable.table} md:divide-y md:divide-slate-200`}>
          <thead className={`${cardTable.head} bg-slate-50 text-left text-xs font-medium uppercase tracking-wide text-slate-500`}>
            {/* Eight columns that fit beside the sidebar at 1280: the model goes under the name, the request count is the progress's total. */}
            <tr className="[&>th]:whitespace-nowrap">
              <th scope="col" className="px-4 py-3">{t("name")}</th>
              <th scope="col" className="px-4 py-3">{t("status")}</th>
              <th scope="col" className="px-4 py-3">{t("progress")}</th>
              <th scope="col" className="px-4 py-3 text-right">{t("tokens")}</th>
              <th scope="col" className="px-4 py-3 text-right">{t("cost")}</th>
              <th scope="col" className="px-4 py-3 text-right">{t("duration")}</th>
              <th scope="col" className="px-4 py-3">{t("created")}</th>
            </tr>
          </thead>
          <tbody className={cardTable.body}>
            {data.rows.map((b) => (
              <tr key={b.id} className={`${cardTable.row} px-4 hover:bg-slate-50 md:[&>td]:px-4 md:[&>td]:py-3`}>
                <td className="col-span-2 min-w-0 md:max-w-72">
                  <div className="flex min-w-0 items-center gap-2">
                    <Link href={`/batches/${b.id}`} className="block truncate font-medium text-slate-900 hover:text-brand-700 hover:underline" title={b.name}>
                      {b.name}
                    </Link>
                    <ImportedBadge at={b.importedAt} />
                    <DryRunBadge dryRun={b.dryRun} />
                    {b.part && <PartLabel part={b.part} />}
                  </div>
                  <p className="truncate text-xs text-slate-500" title={[b.connection.name, ...b.models].join(" · ")}>
                    {b.connection.name}
                    {b.models.length > 0 && ` · ${b.models.length === 1 ? b.models[0] : `${b.models[0]} +${b.models.length - 1}`}`}
                  </p>
                </td>
                <td className="justify-self-end whitespace-nowrap">
                  <StatusBadge status={b.status} raw={b.rawStatus} />
                </td>
                <td className="col-span-3 md:w-48">
                  <ProgressBar total={b.total} completed={b.completed} failed={b.failed} />
                </td>
                <td data-label={t("tokens")} className={`${cardTable.labelled} whitespace-nowrap tabular-nums text-slate-600 md:text-right`} title={b.tokens ? t("tokenCount", { count: num(b.tokens) }) : undefined}>
                  {b.tokens ? compact(b.tokens) : "—"}
                </td>
                <td data-label={t("cost")} className={`${cardTable.labelled} truncate whitespace-nowrap tabular-nums text-slate-600 md:text-right`}>
                  {b.cost.length ? b.cost.map((c) => formatMoney(c.amount, c.currency)).join(" + ") : "—"}
                </td>
                <td data-label={t("duration")} className={`${cardTable.labelled} whitespace-nowrap tabular-nums text-slate-600 md:text-right`}>
                  {formatDuration(b.durationMs)}
                </td>
                <td className="col-span-3 flex min-w-0 flex-wrap items-baseline gap-x-2 text-xs text-slate-500 md:table-cell md:whitespace-nowrap md:text-sm md:text-slate-600">
                  <RelativeTime iso={b.createdAt} />
                  <span className="truncate md:block md:text-xs md:text-slate-500">
                    <SourceLabel b={b} />
                  </span>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <nav aria-label={t("pages")} className="flex items-center justify-between gap-4 border-t border-slate-100 px-4 py-3 text-sm text-slate-500">
        <span>
          {hasFilters(params) ? t("countMatch", { count: data.total }) : t("count", { count: data.total })}
        </span>
        <div className="flex items-center gap-3">
          <PageLink label={t("newer")} href={data.prev && batchListHref({ ...filtersOf(params), before: data.prev })} />
          <PageLink label={t("older")} href={data.next && batchListHref({ ...filtersOf(params), after: data.next })} />
        </div>
      </nav>
    </div>
  );
}

function PageLink({ label, href }: { label: string; href: string | null }) {
  return href ? (
    <Link href={href} className={buttonClass("secondary", "sm")}>
      {label}
    </Link>
  ) : (
    <button type="button" className={buttonClass("secondary", "sm")} disabled>
      {label}
    </button>
  );
}
