"use client";
// The batch page: header, counts, progress chart and timestamps, polled every 2 s while the batch
// runs or its results are still being stored, then the results section.
import Link from "next/link";
import { useQuery } from "@tanstack/react-query";
import { useTranslations } from "next-intl";
import type { BatchView } from "@/lib/batches/read/view";
import type { InitialResults } from "@/components/results/types";
import { Card, CardHeader } from "@/components/ui/card";
import { StatusBadge } from "@/components/ui/status-badge";
import { CancelBatchButton } from "./cancel-batch-button";
import { CheckNow } from "./check-now";
import { fetchJson, num } from "./fetch-json";
import { ImportedBadge } from "./imported-badge";
import { DryRunBadge } from "./dry-run-badge";
import { ProgressChart } from "./progress-chart";
import { RunPanel } from "./run-panel";
import { ProgressBar } from "./progress-bar";
import { ResultsSection } from "./results-section";
import { BatchSummary } from "./batch-summary";
import { ExactTime } from "@/components/ui/time";
import { Detail, Stat } from "./stat";
import { LineagePanel } from "./lineage";
import { MergedResults } from "./merged-results";
import { RetryButton } from "./retry-dialog";
import { useProviderLabel } from "@/components/ui/provider-label";

export type { InitialResults };

export function BatchClient({ initial, initialResults, canRun }: { initial: BatchView; initialResults: InitialResults | null; canRun: boolean }) {
  const providerName = useProviderLabel();
  const { data: b, error } = useQuery({
    queryKey: ["batch", initial.id],
    queryFn: ({ signal }) => fetchJson<BatchView>(`/api/batches/${initial.id}`, signal),
    initialData: initial,
    refetchInterval: (q) => (q.state.data?.live === false ? false : 2000),
  });
  const done = b.completed + b.failed;
  const pct = b.total > 0 ? Math.floor((done / b.total) * 100) : 0;
  const active = !b.terminal && b.status !== "CANCELLING";
  const t = useTranslations("batches.batch");

  return (
    <div className="space-y-6">
      <header>
        <Link href="/batches" className="text-sm font-medium text-slate-500 hover:text-slate-800">
          {t("back")}
        </Link>
        <div className="mt-2 flex flex-wrap items-start justify-between gap-4">
          <div className="min-w-0">
            <div className="flex flex-wrap items-center gap-3">
              <h1 className="truncate text-xl font-semibold tracking-tight text-slate-900">{b.name}</h1>
              <StatusBadge status={b.status} raw={b.rawStatus} />
              <ImportedBadge at={b.importedAt} />
              <DryRunBadge dryRun={b.dryRun} />
              {b.live && (
                <span className="inline-flex items-center gap-1.5 text-xs text-slate-500" title={t("liveTitle")}>
                  <span className="h-1.5 w-1.5 animate-pulse rounded-full bg-brand-500" /> {t("live")}
                </span>
              )}
            </div>
            <p className="mt-1 text-sm text-slate-500">
              {providerName(b.connection.providerLabel).startsWith(b.connection.name) ? (
                providerName(b.connection.providerLabel)
              ) : (
                <>
                  {b.connection.name} ({providerName(b.connection.providerLabel)})
                </>
              )}{" "}
              · <code className="text-xs">{b.endpoint}</code> · {t("window", { window: b.completionWindow })}
            </p>
            {b.description && <p className="mt-2 max-w-3xl whitespace-pre-wrap text-sm text-slate-700">{b.description}</p>}
            {b.live && (
              <div className="mt-2">
                <CheckNow batchId={b.id} lastPolledAt={b.lastPolledAt} nextPollAt={b.nextPollAt} canRun={canRun} />
              </div>
            )}
          </div>
          {active && <CancelBatchButton batchId={b.id} canRun={canRun} />}
          <RetryButton batchId={b.id} ready={b.terminal && !b.live && !b.dryRun} canRun={canRun} />
          {b.terminal && !b.live && (
            <Link href={`/compare?a=${encodeURIComponent(b.id)}`} className="rounded-md px-2.5 py-1.5 text-xs font-medium text-slate-700 ring-1 ring-inset ring-slate-300 hover:bg-slate-50">
              {t("compare")}
            </Link>
          )}
        </div>
      </header>

      {error && (
        <p role="status" className="rounded-md bg-slate-100 px-3 py-2 text-sm text-slate-600">
          {t("refreshFailed", { message: error.message })}
        </p>
      )}
      {b.lastSyncError && (
        <div role="alert" className="rounded-md bg-amber-50 px-4 py-3 text-sm text-amber-900 ring-1 ring-amber-200">
          <p className="font-medium">{b.terminal ? t("syncFailed") : t("syncFailing")}</p>
          <p className="mt-0.5 break-words">{b.lastSyncError}</p>
        </div>
      )}
      <ProviderErrors errors={b.errors} />

      <div className="grid grid-cols-2 gap-4 md:grid-cols-4">
        <Stat label={t("requests")} value={b.total > 0 ? num(b.total) : b.inputFile.requestCount > 0 ? num(b.inputFile.requestCount) : "—"} />
        <Stat label={t("completed")} value={num(b.completed)} tone="text-emerald-700" />
        <Stat label={t("failed")} value={num(b.failed)} tone={b.failed > 0 ? "text-red-600" : undefined} />
        <Stat label={t("done")} value={b.total > 0 ? `${pct}%` : "—"}>
          <ProgressBar total={b.total} completed={b.completed} failed={b.failed} showNumbers={false} className="mt-2" />
        </Stat>
      </div>

      <RunPanel b={b} />

      <div className="grid gap-4 lg:grid-cols-3">
        <Card className="lg:col-span-2">
          <CardHeader title={t("progress")} description={t("progressHint")} />
          <div className="px-3 py-4">
            <ProgressChart batch={b} />
          </div>
        </Card>
        <Card>
          <CardHeader title={t("details")} />
          <dl className="divide-y divide-slate-100 px-5 text-sm">
            <Detail label={t("providerBatchId")}>
              {b.providerBatchId ? <code className="break-all text-xs">{b.providerBatchId}</code> : <span className="text-slate-400">{t("notCreated")}</span>}
            </Detail>
            <Detail label={t("inputFile")}>
              <Link href="/files" className="break-all text-brand-700 hover:underline">
                {b.inputFile.name}
              </Link>
            </Detail>
            {b.parent && (
              <Detail label={t("retryOf")}>
                <Link href={`/batches/${b.parent.id}`} className="text-brand-700 hover:underline">
                  {b.parent.name}
                </Link>
              </Detail>
            )}
            <Detail label={t("createdBy")}>{b.createdBy ?? "—"}</Detail>
            <Detail label={t("source")}>{b.origin.kind === "browser" ? t("sourceBrowser") : b.origin.kind === "import" ? t("sourceImport") : b.origin.token ? t("sourceApiToken", { token: b.origin.token }) : t("sourceApi")}</Detail>
            <Timestamps b={b} />
          </dl>
        </Card>
      </div>

      <LineagePanel batchId={b.id} live={b.live} />
      <MergedResults batchId={b.id} live={b.live} />
      <BatchSummary batchIds={[b.id]} version={`${b.resultCount}:${b.status}`} />
      <ResultsSection batch={b} initial={initialResults} />
    </div>
  );
}


function Timestamps({ b }: { b: BatchView }) {
  const t = useTranslations("batches.batch.times");
  const rows: [string, string | null][] = [
    [t("created"), b.createdAt],
    [t("inProgress"), b.inProgressAt],
    [t("finalizing"), b.finalizingAt],
    [t("completed"), b.completedAt],
    [t("failed"), b.failedAt],
    [t("cancelling"), b.cancellingAt],
    [t("cancelled"), b.cancelledAt],
    [t("expired"), b.expiredAt],
    [b.terminal ? t("wouldHaveExpired") : t("expires"), b.terminal && !b.expiredAt ? null : b.expiresAt],
    [t("resultsStored"), b.resultsIngestedAt],
  ];
  return (
    <>
      {rows
        .filter(([, v]) => v)
        .map(([label, v]) => (
          <Detail key={label} label={label}>
            <ExactTime iso={v!} className="tabular-nums" />
          </Detail>
        ))}
    </>
  );
}

/** A provider's batch-level errors ({data:[{code, message, line}]} in the OpenAI shape). */
function ProviderErrors({ errors }: { errors: unknown }) {
  const list = (errors as { data?: { code?: string; message?: string; line?: number | null }[] } | null)?.data;
  const t = useTranslations("batches.batch");
  if (!Array.isArray(list) || list.length === 0) return null;
  return (
    <div role="alert" className="rounded-md bg-red-50 px-4 py-3 text-sm text-red-800 ring-1 ring-red-200">
      <p className="font-medium">{t("providerErrors", { count: list.length })}</p>
      <ul className="mt-1 list-disc space-y-0.5 pl-5">
        {list.slice(0, 10).map((e, i) => (
          <li key={i} className="break-words">
            {e.line != null && <span className="font-medium">{t("line", { line: e.line })} </span>}
            {e.message ?? e.code ?? t("unknownError")}
            {e.code && e.message && <span className="text-red-600"> ({e.code})</span>}
          </li>
        ))}
      </ul>
    </div>
  );
}
