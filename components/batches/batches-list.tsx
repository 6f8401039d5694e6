"use client";
// The batches table, kept fresh while any batch on the page is still running.
import Link from "next/link";
import { useQuery } from "@tanstack/react-query";
import type { BatchListRow, BatchSource } from "@/lib/batches/read/list";
import type { Paged } from "@/lib/db/paging";
import { buttonClass } from "@/components/ui/button";
import { EmptyState } from "@/components/ui/card";
import { StatusBadge } from "@/components/ui/status-badge";
import { fetchJson, num } from "./fetch-json";
import { ImportedBadge } from "./imported-badge";
import { DryRunBadge } from "./dry-run-badge";
import { Pager } from "./pager";
import { ProgressBar } from "./progress-bar";
import { RelativeTime } from "@/components/ui/time";
import { PartLabel } from "@/components/jobs/part-of-job";

const SOURCES: { value: BatchSource | undefined; label: string }[] = [
  { value: undefined, label: "All" },
  { value: "browser", label: "Browser" },
  { value: "api", label: "API" },
  { value: "import", label: "Imported" },
];

const listHref = (source: BatchSource | undefined, page = 1) => {
  const q = new URLSearchParams({ ...(source ? { source } : {}), ...(page > 1 ? { page: String(page) } : {}) }).toString();
  return q ? `/batches?${q}` : "/batches";
};

/** Where a batch came from, in words: "Browser", "API · nightly-eval", "Imported". */
function SourceCell({ b }: { b: BatchListRow }) {
  if (b.source === "api") {
    return (
      <span title={b.token ? `Launched through the API with the token "${b.token}"` : "Launched through the API (its token was deleted)"}>
        API{b.token ? <span className="text-slate-400"> · {b.token}</span> : null}
      </span>
    );
  }
  return <span>{b.source === "import" ? "Imported" : "Browser"}</span>;
}

function SourceFilter({ source }: { source: BatchSource | undefined }) {
  return (
    <nav aria-label="Where batches came from" className="flex flex-wrap gap-1 border-b border-slate-200 px-4 py-2 text-sm">
      {SOURCES.map((s) => (
        <Link
          key={s.label}
          href={listHref(s.value)}
          aria-current={s.value === source ? "page" : undefined}
          className={s.value === source ? "rounded-md bg-brand-50 px-2.5 py-1 font-medium text-brand-700" : "rounded-md px-2.5 py-1 text-slate-600 hover:bg-slate-100"}
        >
          {s.label}
        </Link>
      ))}
    </nav>
  );
}

export function BatchesList({ initial, page, source }: { initial: Paged<BatchListRow>; page: number; source?: BatchSource }) {
  const { data } = useQuery({
    queryKey: ["batches", page, source ?? ""],
    queryFn: ({ signal }) => fetchJson<Paged<BatchListRow>>(`/api/batches?page=${page}${source ? `&source=${source}` : ""}`, signal),
    initialData: initial,
    refetchInterval: (q) => (q.state.data?.rows.some((r) => r.live) ? 3000 : false),
  });

  if (data.total === 0 && source) {
    return (
      <div className="overflow-hidden rounded-lg bg-white shadow-xs ring-1 ring-slate-200">
        <SourceFilter source={source} />
        <p className="px-4 py-8 text-center text-sm text-slate-500">
          No batches {source === "api" ? "launched through the API" : source === "import" ? "imported from a provider" : "launched from the browser"} yet.
        </p>
      </div>
    );
  }
  if (data.total === 0) {
    return (
      <EmptyState
        title="No batches yet"
        action={
          <div className="flex gap-3">
            <Link href="/files" className={buttonClass("secondary")}>
              Upload a file
            </Link>
            <Link href="/batches/new" className={buttonClass()}>
              Launch a batch
            </Link>
          </div>
        }
      >
        A batch sends every request of an uploaded JSONL or CSV file to a provider at batch prices. Upload a file first, then launch it on
        the built-in Sandbox to try the whole journey without a key.
      </EmptyState>
    );
  }

  return (
    <div className="overflow-hidden rounded-lg bg-white shadow-xs ring-1 ring-slate-200">
      <SourceFilter source={source} />
      <div className="overflow-x-auto">
        <table className="min-w-full divide-y divide-slate-200 text-sm">
          <thead className="bg-slate-50 text-left text-xs font-medium uppercase tracking-wide text-slate-500">
            <tr>
              <th scope="col" className="px-4 py-3">Name</th>
              <th scope="col" className="px-4 py-3">Provider</th>
              <th scope="col" className="px-4 py-3">Status</th>
              <th scope="col" className="px-4 py-3">Progress</th>
              <th scope="col" className="px-4 py-3">Source</th>
              <th scope="col" className="px-4 py-3">Created by</th>
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
                </td>
                <td className="whitespace-nowrap px-4 py-3 text-slate-600">{b.connection.name}</td>
                <td className="whitespace-nowrap px-4 py-3">
                  <StatusBadge status={b.status} raw={b.rawStatus} />
                </td>
                <td className="w-56 px-4 py-3">
                  <ProgressBar total={b.total} completed={b.completed} failed={b.failed} />
                </td>
                <td className="whitespace-nowrap px-4 py-3 text-slate-600">
                  <SourceCell b={b} />
                </td>
                <td className="whitespace-nowrap px-4 py-3 text-slate-600">{b.createdBy ?? "—"}</td>
                <td className="whitespace-nowrap px-4 py-3 text-slate-600">
                  <RelativeTime iso={b.createdAt} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <Pager
        page={data.page}
        pageCount={data.pageCount}
        summary={`${num(data.total)} batch${data.total === 1 ? "" : "es"}`}
        href={(p) => listHref(source, p)}
      />
    </div>
  );
}
