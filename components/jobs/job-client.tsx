"use client";
// The job page: the parts of a file launched as several batches, their combined counts and progress
// chart, each part with its status (linking to its batch page), the combined CSV export, and the
// actions on all parts at once. Polled every 2 s while any part runs.
import { useTranslations } from "next-intl";
import Link from "next/link";
import { useQuery } from "@tanstack/react-query";
import type { JobView } from "@/lib/batches/read/job-view";
import { buttonClass } from "@/components/ui/button";
import { Card, CardHeader } from "@/components/ui/card";
import { TimeSeriesChart } from "@/components/ui/chart";
import { StatusBadge } from "@/components/ui/status-badge";
import { fetchJson, num } from "@/components/batches/fetch-json";
import { ProgressBar } from "@/components/batches/progress-bar";
import { ExactTime } from "@/components/ui/time";
import { Detail, Stat } from "@/components/batches/stat";
import { BatchSummary } from "@/components/batches/batch-summary";
import { isTerminal } from "@/lib/providers/status";
import { CancelJobButton, CancelQueuedPartButton, LaunchRemainingButton } from "./job-actions";
import { QueuedState, WaitingPanel } from "./queued-parts";
import { useProviderLabel } from "@/components/ui/provider-label";

export function JobClient({ initial, canRun }: { initial: JobView; canRun: boolean }) {
  const providerName = useProviderLabel();
  const { data: j, error } = useQuery({
    queryKey: ["job", initial.id],
    queryFn: ({ signal }) => fetchJson<JobView>(`/api/jobs/${initial.id}`, signal),
    initialData: initial,
    refetchInterval: (q) => (q.state.data?.live === false ? false : 2000),
  });
  const t = useTranslations("batches.job");
  const tb = useTranslations("batches.batch");
  const waiting = j.queued.filter((q) => q.state === "queued");
  // The requests of the launched parts and of those still waiting: the whole job, not only what runs.
  const total = j.total + waiting.reduce((n, q) => n + q.requests, 0) || j.file.requestCount;
  const done = j.completed + j.failed;
  const pct = total > 0 ? Math.floor((done / total) * 100) : 0;
  // Parts neither launched nor waiting (refused, cancelled, or never planned again): "Launch remaining parts" sends them.
  const remaining = j.plannedParts - j.parts.length - waiting.length;
  const running = waiting.length > 0 || j.parts.some((p) => !isTerminal(p.status) && p.status !== "CANCELLING");
  const queuedOf = new Map(j.queued.map((q) => [q.part, q]));
  const launchedParts = new Set(j.parts.map((p) => p.part));
  const notLaunched = Array.from({ length: j.plannedParts }, (_, i) => i + 1).filter((n) => !launchedParts.has(n));

  return (
    <div className="space-y-6">
      <header>
        <Link href="/batches" className="text-sm font-medium text-slate-500 hover:text-slate-800">
          {tb("back")}
        </Link>
        <div className="mt-2 flex flex-wrap items-start justify-between gap-4">
          <div className="min-w-0">
            <div className="flex flex-wrap items-center gap-3">
              <h1 className="truncate text-xl font-semibold tracking-tight text-slate-900">{j.name}</h1>
              {j.parts.length === 0 && waiting.length > 0 ? <QueuedState q={waiting[0]} /> : <StatusBadge status={j.status} />}
              <span className="rounded-full bg-slate-100 px-2 py-0.5 text-xs font-medium text-slate-600 ring-1 ring-inset ring-slate-200">
                {j.plannedParts === 1 ? t("oneBatch") : t("jobOf", { count: num(j.plannedParts) })}
              </span>
              {j.live && (
                <span className="inline-flex items-center gap-1.5 text-xs text-slate-500" title={tb("liveTitle")}>
                  <span className="h-1.5 w-1.5 animate-pulse rounded-full bg-brand-500" /> {tb("live")}
                </span>
              )}
            </div>
            <p className="mt-1 text-sm text-slate-500">
              {j.connection ? `${j.connection.name} (${providerName(j.connection.providerLabel)})` : t("noneLaunched")}
              {j.endpoint && (
                <>
                  {" "}
                  · <code className="text-xs">{j.endpoint}</code>
                </>
              )}
              {j.completionWindow && <> · {tb("window", { window: j.completionWindow })}</>}
            </p>
          </div>
          <div className="flex flex-wrap items-start gap-2">
            {remaining > 0 && <LaunchRemainingButton jobId={j.id} remaining={remaining} canRun={canRun} />}
            {running && <CancelJobButton jobId={j.id} canRun={canRun} />}
          </div>
        </div>
      </header>

      {error && (
        <p role="status" className="rounded-md bg-slate-100 px-3 py-2 text-sm text-slate-600">
          {tb("refreshFailed", { message: error.message })}
        </p>
      )}
      {waiting.length > 0 && <WaitingPanel waiting={waiting} of={j.plannedParts} />}
      {remaining > 0 && (
        <div role="alert" className="rounded-md bg-amber-50 px-4 py-3 text-sm text-amber-900 ring-1 ring-amber-200">
          <p className="font-medium">
            {waiting.length
              ? t("partlyLaunchedWaiting", { launched: num(j.parts.length), planned: num(j.plannedParts), remaining, waiting: num(waiting.length) })
              : t("partlyLaunched", { launched: num(j.parts.length), planned: num(j.plannedParts), remaining })}
          </p>
          {j.refused && (
            <p className="mt-0.5 break-words">
              {t("refused", { part: j.refused.part, message: j.refused.message })}
            </p>
          )}
          <p className="mt-0.5">{t("remainingHint")}</p>
        </div>
      )}

      <div className="grid grid-cols-2 gap-4 md:grid-cols-4">
        <Stat label={tb("requests")} value={total > 0 ? num(total) : "—"} />
        <Stat label={tb("completed")} value={num(j.completed)} tone="text-emerald-700" />
        <Stat label={tb("failed")} value={num(j.failed)} tone={j.failed > 0 ? "text-red-600" : undefined} />
        <Stat label={tb("done")} value={total > 0 ? `${pct}%` : "—"}>
          <ProgressBar total={total} completed={j.completed} failed={j.failed} showNumbers={false} className="mt-2" />
        </Stat>
      </div>

      <div className="grid gap-4 lg:grid-cols-3">
        <Card className="lg:col-span-2">
          <CardHeader title={t("progress")} description={t("progressHint")} />
          <div className="px-3 py-4">
            <TimeSeriesChart
              aria-label={t("chartLabel", { name: j.name, completed: j.completed, failed: j.failed, total })}
              data={j.points}
              step
              height={260}
              reference={total > 0 ? { y: total, label: t("requestsLine", { count: num(total) }) } : undefined}
              series={[
                { key: "completed", label: tb("completed"), color: "success" },
                { key: "failed", label: tb("failed"), color: "danger" },
              ]}
              empty={j.live ? t("waitingFirst") : t("noProgress")}
            />
          </div>
        </Card>
        <Card>
          <CardHeader title={tb("details")} />
          <dl className="divide-y divide-slate-100 px-5 text-sm">
            <Detail label={tb("inputFile")}>
              <Link href="/files" className="break-all text-brand-700 hover:underline">
                {j.file.name}
              </Link>
            </Detail>
            <Detail label={t("fileRequests")}>{num(j.file.requestCount)}</Detail>
            <Detail label={t("parts")}>
              {j.parts.length < j.plannedParts ? t("partsLaunched", { n: num(j.parts.length), of: num(j.plannedParts) }) : num(j.parts.length)}
            </Detail>
            <Detail label={tb("times.resultsStored")}>{num(j.resultCount)}</Detail>
            <Detail label={tb("createdBy")}>{j.createdBy ?? "—"}</Detail>
            <Detail label={tb("times.created")}>
              <ExactTime iso={j.createdAt} className="tabular-nums" />
            </Detail>
          </dl>
        </Card>
      </div>

      {j.parts.length > 0 && <BatchSummary batchIds={j.parts.map((p) => p.id)} version={`${j.resultCount}:${j.status}`} title={t("summary")} />}

      <Card>
        <CardHeader
          title={t("parts")}
          description={t("partsHint")}
          actions={
            j.resultCount > 0 ? (
              <div className="flex flex-wrap gap-2">
                <a href={`/api/jobs/${j.id}/export.csv`} className={buttonClass("secondary", "sm")} download>
                  {t("exportCsv")}
                </a>
                <a href={`/api/jobs/${j.id}/export.csv?bom=1`} className={buttonClass("ghost", "sm")} download title={t("excelTitle")}>
                  {t("excelCsv")}
                </a>
              </div>
            ) : undefined
          }
        />
        <div className="relative overflow-x-auto">
          <table className="min-w-full divide-y divide-slate-200 text-sm">
            <thead className="bg-slate-50 text-left text-xs font-medium uppercase tracking-wide text-slate-500">
              <tr>
                <th scope="col" className="px-4 py-2.5">{t("part")}</th>
                <th scope="col" className="px-4 py-2.5">{t("lines")}</th>
                <th scope="col" className="px-4 py-2.5">{t("status")}</th>
                <th scope="col" className="px-4 py-2.5">{t("progressHeader")}</th>
                <th scope="col" className="px-4 py-2.5 text-right">{t("results")}</th>
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100">
              {j.parts.map((p) => (
                <tr key={p.id} className="hover:bg-slate-50">
                  <td className="whitespace-nowrap px-4 py-2.5">
                    <Link href={`/batches/${p.id}`} className="font-medium text-brand-700 hover:underline">
                      {t("partOf", { part: p.part, of: j.plannedParts })}
                    </Link>
                  </td>
                  <td className="whitespace-nowrap px-4 py-2.5 tabular-nums text-slate-600">
                    {p.fromLine !== null && p.toLine !== null ? `${num(p.fromLine)}–${num(p.toLine)}` : t("allLines")}
                  </td>
                  <td className="whitespace-nowrap px-4 py-2.5">
                    <StatusBadge status={p.status} raw={p.rawStatus} />
                  </td>
                  <td className="w-64 px-4 py-2.5">
                    <ProgressBar total={p.total} completed={p.completed} failed={p.failed} />
                  </td>
                  <td className="whitespace-nowrap px-4 py-2.5 text-right tabular-nums text-slate-600">{num(p.resultCount)}</td>
                </tr>
              ))}
              {notLaunched.map((n) => {
                const q = queuedOf.get(n);
                return (
                  <tr key={`waiting-${n}`} className={q?.state === "queued" ? undefined : "text-slate-400"} data-testid={`queued-part-${n}`}>
                    <td className="px-4 py-2.5 text-slate-700">
                      <span className="whitespace-nowrap">
                        {t("partOf", { part: n, of: j.plannedParts })}
                      </span>
                      {/* Phones: the table scrolls sideways, so why it waits and its Cancel come first. */}
                      {q?.state === "queued" && (
                        <div className="mt-1 w-56 space-y-1 text-xs text-slate-600 sm:hidden">
                          {q.reason && <p className="break-words">{q.reason[0].toUpperCase() + q.reason.slice(1)}</p>}
                          <CancelQueuedPartButton jobId={j.id} partId={q.id} part={n} canRun={canRun} />
                        </div>
                      )}
                    </td>
                    <td className="whitespace-nowrap px-4 py-2.5 tabular-nums text-slate-600">{q ? `${num(q.fromLine)}–${num(q.toLine)}` : "—"}</td>
                    <td className="whitespace-nowrap px-4 py-2.5">{q ? <QueuedState q={q} /> : t("notLaunched")}</td>
                    <td className="min-w-48 px-4 py-2.5 text-sm text-slate-600">
                      {q?.state === "queued" && q.reason ? <span className="break-words">{q.reason[0].toUpperCase() + q.reason.slice(1)}</span> : null}
                      {q?.state === "queued" && !q.reason && !q.scheduled ? t("waitingBefore") : null}
                      {q?.state === "queued" && q.scheduled ? (
                        <>
                          {t.rich("startsAt", { time: () => <ExactTime iso={q.startAt} className="tabular-nums" /> })}
                        </>
                      ) : null}
                      {q?.state === "refused" && q.reason ? <span className="break-words text-red-700">{q.reason}</span> : null}
                    </td>
                    <td className="whitespace-nowrap px-4 py-2.5 text-right">
                      {q?.state === "queued" && <CancelQueuedPartButton jobId={j.id} partId={q.id} part={n} canRun={canRun} />}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      </Card>
    </div>
  );
}

