"use client";
// The batches table, kept fresh while any batch on the page is still running.
import Link from "next/link";
import { useQuery } from "@tanstack/react-query";
import type { BatchListRow } from "@/lib/batches/read/list";
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

export function BatchesList({ initial, page }: { initial: Paged<BatchListRow>; page: number }) {
  const { data } = useQuery({
    queryKey: ["batches", page],
    queryFn: ({ signal }) => fetchJson<Paged<BatchListRow>>(`/api/batches?page=${page}`, signal),
    initialData: initial,
    refetchInterval: (q) => (q.state.data?.rows.some((r) => r.live) ? 3000 : false),
  });

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
      <div className="overflow-x-auto">
        <table className="min-w-full divide-y divide-slate-200 text-sm">
          <thead className="bg-slate-50 text-left text-xs font-medium uppercase tracking-wide text-slate-500">
            <tr>
              <th scope="col" className="px-4 py-3">Name</th>
              <th scope="col" className="px-4 py-3">Provider</th>
              <th scope="col" className="px-4 py-3">Status</th>
              <th scope="col" className="px-4 py-3">Progress</th>
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
        href={(p) => (p > 1 ? `/batches?page=${p}` : "/batches")}
      />
    </div>
  );
}
