"use client";
// The batch's lineage on its page: "Retry of <parent>" and "Retried by <children>", then the whole
// tree from the first batch, each with its status and counts. Live while any batch of it runs.
import { useTranslations } from "next-intl";
import Link from "next/link";
import { useQuery } from "@tanstack/react-query";
import type { Lineage, LineageNode } from "@/lib/batches/lineage";
import { Card, CardHeader } from "@/components/ui/card";
import { StatusBadge } from "@/components/ui/status-badge";
import { cn } from "@/components/ui/cn";
import { fetchJson, num } from "./fetch-json";

/** The lineage of a batch, shared by this panel and the merged view (one request for both). */
export function useLineage(batchId: string, live: boolean) {
  return useQuery({
    queryKey: ["lineage", batchId],
    queryFn: ({ signal }) => fetchJson<Lineage>(`/api/batches/${batchId}/lineage`, signal),
    refetchInterval: (q) => (live || q.state.data?.live ? 3000 : false),
  });
}

function BatchLink({ n, current }: { n: LineageNode; current: boolean }) {
  return current ? (
    <span className="font-medium text-slate-900">{n.name}</span>
  ) : (
    <Link href={`/batches/${n.id}`} className="font-medium text-brand-700 hover:underline">
      {n.name}
    </Link>
  );
}

export function LineagePanel({ batchId, live }: { batchId: string; live: boolean }) {
  const { data } = useLineage(batchId, live);
  const t = useTranslations("batches.lineage");
  if (!data || data.nodes.length < 2) return null;
  const me = data.nodes.find((n) => n.id === batchId);
  const parent = me?.parentId ? data.nodes.find((n) => n.id === me.parentId) : undefined;
  const children = data.nodes.filter((n) => n.parentId === batchId);
  const root = data.nodes.find((n) => n.id === data.rootId)!;

  return (
    <Card>
      <CardHeader
        title={t("title")}
        description={
          <span className="flex flex-col gap-0.5">
            {parent && (
              <span>
                {t("retryOf")} <BatchLink n={parent} current={false} />
              </span>
            )}
            {children.length > 0 && (
              <span>
                {t("retriedBy")}{" "}
                {children.map((c, i) => (
                  <span key={c.id}>
                    {i > 0 && ", "}
                    <BatchLink n={c} current={false} />
                  </span>
                ))}
              </span>
            )}
          </span>
        }
        actions={
          data.rootId !== batchId ? (
            <Link href={`/batches/${root.id}#merged`} className="whitespace-nowrap text-sm font-medium text-brand-700 hover:underline">
              {t("merged")}
            </Link>
          ) : undefined
        }
      />
      <ol aria-label={t("label")} className="divide-y divide-slate-100 text-sm">
        {data.nodes.map((n) => (
          <li
            key={n.id}
            aria-current={n.id === batchId ? "true" : undefined}
            className={cn("flex flex-wrap items-center gap-x-3 gap-y-1 py-2.5 pr-5", n.id === batchId && "bg-brand-50/50")}
            style={{ paddingLeft: `${1.25 + n.depth * 1.5}rem` }}
          >
            {n.depth > 0 && (
              <span aria-hidden className="text-slate-400">
                ↳
              </span>
            )}
            <BatchLink n={n} current={n.id === batchId} />
            {n.id === batchId && <span className="text-xs text-slate-500">{t("thisBatch")}</span>}
            <StatusBadge status={n.status} />
            <span className="tabular-nums text-slate-600">
              {t.rich("counts", {
                total: num(n.total),
                completed: num(n.completed),
                failed: num(n.failed),
                ok: (chunks) => <span className="text-emerald-700">{chunks}</span>,
                bad: (chunks) => <span className={n.failed > 0 ? "text-red-600" : undefined}>{chunks}</span>,
              })}
            </span>
            <span className="ml-auto text-xs text-slate-500">
              {n.connectionName}
              {n.models.length === 1 && (
                <>
                  {" · "}
                  <code>{n.models[0]}</code>
                </>
              )}
            </span>
          </li>
        ))}
      </ol>
    </Card>
  );
}
