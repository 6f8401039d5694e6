"use client";
// The batches table, kept fresh while any batch on the page is still running: what ran where, its
// model, requests, tokens, cost and duration. Paged by position (Newer / Older), filters in the address.
import Link from "next/link";
import { useQuery } from "@tanstack/react-query";
import type { BatchListPage } from "@/lib/batches/read/list";
import { batchListHref, filtersOf, hasFilters, type BatchListParams } from "@/lib/batches/read/list-params";
import { formatDuration } from "@/lib/batches/eta";
import { formatMoney } from "@/lib/pricing/cost";
import { buttonClass } from "@/components/ui/button";
import { EmptyState } from "@/components/ui/card";
import { StatusBadge } from "@/components/ui/status-badge";
import { fetchJson, num } from "./fetch-json";
import { ImportedBadge } from "./imported-badge";
import { DryRunBadge } from "./dry-run-badge";
import { ProgressBar } from "./progress-bar";
import { RelativeTime } from "@/components/ui/time";
import { PartLabel } from "@/components/jobs/part-of-job";
import { SampleBatchButton } from "./sample-batch-button";

/** "1.2M", "34k", "950": tokens at a glance (the exact figure is in the title). */
export function compact(n: number): string {
  return n >= 1e6 ? `${(n / 1e6).toFixed(n >= 1e7 ? 0 : 1)}M` : n >= 1e4 ? `${Math.round(n / 1e3)}k` : num(n);
}

/** Who made it and how: "by Ada", "by Ada · API: nightly-eval", "imported". */
function SourceLabel({ b }: { b: BatchListPage["rows"][number] }) {
  const by = b.createdBy ? `by ${b.createdBy}` : "";
  if (b.source === "import") return <>{by ? `${by} · imported` : "imported"}</>;
  if (b.source === "api") {
    return (
      <span title={b.token ? `Launched through the API with the token "${b.token}"` : "Launched through the API (its token was deleted)"}>
        {by ? `${by} · ` : ""}API{b.token ? `: ${b.token}` : ""}
      </span>
    );
  }
  return <>{by}</>;
}

export function BatchesList({ initial, params, canRun = false }: { initial: BatchListPage; params: BatchListParams; canRun?: boolean }) {
  const self = batchListHref(params, "/api/batches");
  const { data } = useQuery({
    queryKey: ["batches", self],
    queryFn: ({ signal }) => fetchJson<BatchListPage>(self, signal),
    initialData: initial,
    refetchInterval: (q) => (q.state.data?.rows.some((r) => r.live) ? 3000 : false),
  });

  if (data.total === 0 && hasFilters(params)) {
    return (
      <EmptyState title="No batch matches these filters" action={<Link href="/batches" className={buttonClass("secondary")}>Clear filters</Link>}>
        Try a wider date range or another status.
      </EmptyState>
    );
  }
  if (data.total === 0) {
    return (
      <EmptyState
        title="No batches yet"
        action={
          canRun ? (
            <div className="flex flex-col items-center gap-4">
              <SampleBatchButton />
              <div className="flex gap-3">
                <Link href="/files" className={buttonClass("secondary")}>
                  Upload a file
                </Link>
                <Link href="/batches/new" className={buttonClass("secondary")}>
                  Launch a batch
                </Link>
              </div>
            </div>
          ) : undefined
        }
      >
        A batch sends every request of an uploaded JSONL or CSV file to a provider at batch prices.{" "}
        {canRun
          ? "See one run now: the sample sends six support-inbox requests to the built-in Sandbox, which answers with test text at no cost. Or upload a file of your own."
          : "Members of the team launch them; here you follow them and download their results."}
      </EmptyState>
    );
  }

  return (
    <div className="overflow-hidden rounded-lg bg-white shadow-xs ring-1 ring-slate-200">
      <div className="overflow-x-auto">
        <table className="min-w-full divide-y divide-slate-200 text-sm">
          <thead className="bg-slate-50 text-left text-xs font-medium uppercase tracking-wide text-slate-500">
            <tr>
              <th scope="col" className="px-4 py-3">Name</th>
              <th scope="col" className="px-4 py-3">Status</th>
              <th scope="col" className="px-4 py-3">Progress</th>
              <th scope="col" className="px-4 py-3">Model</th>
              <th scope="col" className="px-4 py-3 text-right">Requests</th>
              <th scope="col" className="px-4 py-3 text-right">Tokens</th>
              <th scope="col" className="px-4 py-3 text-right">Cost</th>
              <th scope="col" className="px-4 py-3 text-right">Duration</th>
              <th scope="col" className="px-4 py-3">Created</th>
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-100">
            {data.rows.map((b) => (
              <tr key={b.id} className="hover:bg-slate-50">
                <td className="max-w-72 px-4 py-3">
                  <div className="flex min-w-0 items-center gap-2">
                    <Link href={`/batches/${b.id}`} className="block truncate font-medium text-slate-900 hover:text-brand-700 hover:underline" title={b.name}>
                      {b.name}
                    </Link>
                    <ImportedBadge at={b.importedAt} />
                    <DryRunBadge dryRun={b.dryRun} />
                    {b.part && <PartLabel part={b.part} />}
                  </div>
                  <p className="truncate text-xs text-slate-500">{b.connection.name}</p>
                </td>
                <td className="whitespace-nowrap px-4 py-3">
                  <StatusBadge status={b.status} raw={b.rawStatus} />
                </td>
                <td className="w-56 px-4 py-3">
                  <ProgressBar total={b.total} completed={b.completed} failed={b.failed} />
                </td>
                <td className="max-w-48 truncate px-4 py-3 text-slate-600" title={b.models.join(", ")}>
                  {b.models.length === 0 ? "—" : b.models.length === 1 ? b.models[0] : `${b.models[0]} +${b.models.length - 1}`}
                </td>
                <td className="whitespace-nowrap px-4 py-3 text-right tabular-nums text-slate-600">{num(b.total)}</td>
                <td className="whitespace-nowrap px-4 py-3 text-right tabular-nums text-slate-600" title={b.tokens ? `${num(b.tokens)} tokens` : undefined}>
                  {b.tokens ? compact(b.tokens) : "—"}
                </td>
                <td className="whitespace-nowrap px-4 py-3 text-right tabular-nums text-slate-600">
                  {b.cost.length ? b.cost.map((c) => formatMoney(c.amount, c.currency)).join(" + ") : "—"}
                </td>
                <td className="whitespace-nowrap px-4 py-3 text-right tabular-nums text-slate-600">{formatDuration(b.durationMs)}</td>
                <td className="whitespace-nowrap px-4 py-3 text-slate-600">
                  <RelativeTime iso={b.createdAt} />
                  <p className="text-xs text-slate-500">
                    <SourceLabel b={b} />
                  </p>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <nav aria-label="Pages" className="flex items-center justify-between gap-4 border-t border-slate-100 px-4 py-3 text-sm text-slate-500">
        <span>
          {num(data.total)} batch{data.total === 1 ? "" : "es"}
          {hasFilters(params) ? " match" : ""}
        </span>
        <div className="flex items-center gap-3">
          <PageLink label="Newer" href={data.prev && batchListHref({ ...filtersOf(params), before: data.prev })} />
          <PageLink label="Older" href={data.next && batchListHref({ ...filtersOf(params), after: data.next })} />
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
