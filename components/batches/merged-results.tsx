"use client";
// The merged view on the first batch of a lineage: one row per custom_id with its best answer across
// the batch and all its retries (a success wins; otherwise the latest batch), how many succeeded
// after all retries, a simple paginated table and the merged CSV.
import { useTranslations } from "next-intl";
import Link from "next/link";
import { useState } from "react";
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import type { MergedPage, MergedStatus } from "@/lib/batches/merged";
import { buttonClass } from "@/components/ui/button";
import { Card, CardHeader } from "@/components/ui/card";
import { cn } from "@/components/ui/cn";
import { ClampText } from "./clamp-text";
import { fetchJson, num } from "./fetch-json";
import { useLineage } from "./lineage";
import { Pager } from "./pager";

export function MergedResults({ batchId, live }: { batchId: string; live: boolean }) {
  const { data: lineage } = useLineage(batchId, live);
  const t = useTranslations("batches.merged");
  const [open, setOpen] = useState(false);
  const [status, setStatus] = useState<MergedStatus>("all");
  const [page, setPage] = useState(1);
  const show = Boolean(lineage && lineage.rootId === batchId && lineage.nodes.length > 1);
  const anyLive = Boolean(live || lineage?.live);
  const { data, error, isFetching } = useQuery({
    queryKey: ["merged", batchId, status, page],
    queryFn: ({ signal }) => fetchJson<MergedPage>(`/api/batches/${batchId}/merged?page=${page}&status=${status}`, signal),
    enabled: show,
    placeholderData: keepPreviousData,
    refetchInterval: anyLive ? 3000 : false,
  });
  if (!show) return null;
  const c = data?.counts;
  const batches = lineage!.nodes.length;

  return (
    <Card id="merged">
      <CardHeader
        title={t("title", { batches })}
        description={
          c ? (
            <>
              {t.rich("succeeded", { n: num(c.succeeded), of: num(c.requests), ok: (chunks) => <span className="font-medium text-emerald-700">{chunks}</span> })}
              {c.recovered > 0 && <> {t("recovered", { n: num(c.recovered) })}</>}
              {c.failed > 0 && <> · {t("stillFailed", { n: num(c.failed) })}</>}
              {c.unanswered > 0 && <> · {t("unanswered", { n: num(c.unanswered) })}</>}
            </>
          ) : (
            t("intro")
          )
        }
        actions={
          <div className="flex items-center gap-2">
            <a href={`/api/batches/${batchId}/merged.csv`} className={buttonClass("secondary", "sm")} download>
              {t("csv")}
            </a>
            <button type="button" aria-expanded={open} className={buttonClass(open ? "secondary" : "primary", "sm")} onClick={() => setOpen(!open)}>
              {open ? t("hide") : t("show")}
            </button>
          </div>
        }
      />
      {open && (
        <div>
          <div role="tablist" aria-label={t("tabs")} className="flex gap-1 border-b border-slate-100 px-4 py-2">
            {(["all", "succeeded", "failed"] as const).map((s) => (
              <button
                key={s}
                type="button"
                role="tab"
                aria-selected={status === s}
                onClick={() => {
                  setStatus(s);
                  setPage(1);
                }}
                className={cn(
                  "rounded-md px-2.5 py-1 text-sm",
                  status === s ? "bg-slate-900 text-white" : "text-slate-600 hover:bg-slate-100",
                )}
              >
                {s === "all" ? t("tabAll") : s === "succeeded" ? t("tabSucceeded") : t("tabFailed")}
                {c && " "}
                {c && <span className="tabular-nums opacity-70">{num(s === "all" ? c.succeeded + c.failed : s === "succeeded" ? c.succeeded : c.failed)}</span>}
              </button>
            ))}
          </div>
          {error && <p className="px-5 py-3 text-sm text-red-700">{t("failed", { message: error.message })}</p>}
          <div className={cn("overflow-x-auto", isFetching && "opacity-80")}>
            <table className="min-w-full text-sm">
              <thead className="bg-slate-50 text-left text-xs font-medium uppercase tracking-wide text-slate-500">
                <tr>
                  <th className="px-4 py-2">custom_id</th>
                  <th className="px-4 py-2">{t("prompt")}</th>
                  <th className="px-4 py-2">{t("answer")}</th>
                  <th className="px-4 py-2">{t("from")}</th>
                  <th className="px-4 py-2 text-right">{t("attempts")}</th>
                </tr>
              </thead>
              <tbody className="divide-y divide-slate-100">
                {data?.rows.map((r) => (
                  <tr key={r.customId} className="align-top">
                    <td className="whitespace-nowrap px-4 py-2 font-mono text-xs text-slate-700">{r.customId}</td>
                    <td className="max-w-xs px-4 py-2 text-slate-600">
                      <ClampText text={r.prompt ?? ""} />
                    </td>
                    <td className="max-w-md px-4 py-2">
                      {r.succeeded ? (
                        <ClampText text={r.content ?? ""} />
                      ) : (
                        <span className="text-red-700">
                          {r.errorCode && <code className="mr-1 text-xs">{r.errorCode}</code>}
                          {r.errorMessage ?? t("failedShort")}
                        </span>
                      )}
                    </td>
                    <td className="px-4 py-2">
                      {r.batchId === batchId ? (
                        <span className="text-slate-500">{t("thisBatch")}</span>
                      ) : (
                        <Link href={`/batches/${r.batchId}`} className="text-brand-700 hover:underline">
                          {r.batchName}
                        </Link>
                      )}
                    </td>
                    <td className="px-4 py-2 text-right tabular-nums text-slate-600">{r.attempts}</td>
                  </tr>
                ))}
                {data && data.rows.length === 0 && (
                  <tr>
                    <td colSpan={5} className="px-4 py-6 text-center text-slate-500">
                      {t("none", { s: status })}
                    </td>
                  </tr>
                )}
              </tbody>
            </table>
          </div>
          {data && <Pager page={data.page} pageCount={data.pageCount} summary={t("customIds", { n: num(data.total) })} onPage={setPage} />}
        </div>
      )}
    </Card>
  );
}
