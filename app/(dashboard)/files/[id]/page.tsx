// /files/[id]: one file of the team: its summary (whose limits it was checked against), its problems
// (all of them as CSV) or its first requests, what uses it (batches, jobs, the CSV template it was
// mapped with), the way to launch a batch from it and to delete it, or why it must stay. Another team's file is "not found", and so is an id holding a NUL
// (generateMetadata gets the id decoded: PostgreSQL would refuse it, lib/http/params.ts).
import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { Suspense } from "react";
import { useTranslations } from "next-intl";
import { getFormatter, getTranslations } from "next-intl/server";
import { requireTeamPage, type TeamContext } from "@/lib/auth/context";
import { can } from "@/lib/auth/roles";
import { db } from "@/lib/db/client";
import { batchesOfFile, firstRequests, getFile } from "@/lib/files/queries";
import { formatBytes } from "@/lib/files/format";
import { csvFileInfo, rowsOfRequests, type CsvFileInfo } from "@/lib/csv/queries";
import { nulParam } from "@/lib/http/params";
import { buttonClass } from "@/components/ui/button";
import { cn } from "@/components/ui/cn";
import { Card, CardHeader, PageHeader } from "@/components/ui/card";
import { StatusBadge } from "@/components/ui/status-badge";
import { FileStatusBadge } from "@/components/files/file-status";
import { ProblemsTable } from "@/components/files/problems-table";
import { JobNote } from "@/components/files/job-note";
import { splitJobNotes } from "@/lib/files/types";
import { localize, localizeProblems } from "@/lib/i18n/server-messages";
import { requestLocale } from "@/lib/i18n/server-messages.request";
import { RelativeTime } from "@/components/ui/time";
import { CheckedFor } from "@/components/files/file-status";
import { DeleteFileButton } from "@/components/files/delete-file-button";
import { fileUsage, type FileUsage } from "@/lib/files/delete";
import { JSON_ARRAY_CODE } from "@/lib/files/json-array";
import { PageSkeleton } from "../../page-skeleton";

const SHOWN_REQUESTS = 50;

type Props = { params: Promise<{ id: string }> };

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const { team } = await requireTeamPage();
  const { id } = await params;
  const file = nulParam({ id }) ? null : await getFile(await db(), team.id, id);
  return { title: file ? file.name : (await getTranslations("files.page"))("notFoundTitle") };
}

export default async function FilePage({ params }: Props) {
  const { team, role } = await requireTeamPage();
  const { id } = await params;
  const t = await getTranslations("files.page");
  const prisma = await db();
  const file = nulParam({ id }) ? null : await getFile(prisma, team.id, id);
  if (!file) notFound();
  // The file is found (or not: 404) before anything streams; what uses it and its first requests
  // wait in a Suspense boundary (no loading.tsx above: 404 stays 404).
  return (
    <>
      <nav className="mb-3 text-sm" aria-label={t("breadcrumb")}>
        <Link href="/files" className="font-medium text-slate-500 hover:text-slate-900">
          {t("back")}
        </Link>
      </nav>
      <Suspense fallback={<PageSkeleton />}>
        <FileDetail file={file} role={role} teamId={team.id} />
      </Suspense>
    </>
  );
}

async function FileDetail({ file, role, teamId }: { file: NonNullable<Awaited<ReturnType<typeof getFile>>>; role: TeamContext["role"]; teamId: string }) {
  const [t, format, locale] = await Promise.all([getTranslations("files.page"), getFormatter(), requestLocale()]);
  const num = (n: number) => format.number(n);
  const prisma = await db();
  const [requests, batches, csv, usage] = await Promise.all([
    file.status === "valid" ? firstRequests(prisma, teamId, file.id, SHOWN_REQUESTS) : Promise.resolve([]),
    batchesOfFile(prisma, teamId, file.id),
    csvFileInfo(prisma, teamId, file.id),
    fileUsage(prisma, teamId, file.id),
  ]);
  const rowOf = csv ? await rowsOfRequests(prisma, teamId, file.id, requests.map((r) => r.line)) : undefined;
  const launch = file.status === "valid" && can.run(role);
  // Over one batch's limits: said apart from the warnings, as it is no failure to come.
  const jobNotes = splitJobNotes(file.warnings, file.warningCount);
  // A file nothing uses may go, to make room under the team's storage quota; otherwise the page says why it stays.
  const deletable = can.run(role) && !!usage;
  const problemsCsv = `/api/files/${encodeURIComponent(file.id)}/problems.csv`;

  return (
    <>
      <PageHeader
        title={<span className="break-all">{file.name}</span>}
        description={t.rich(file.origin === "import" ? "importedBy" : file.origin === "retry" ? "retryBy" : "uploadedBy", {
          who: file.uploadedBy ?? t("aFormerMember"),
          time: () => <RelativeTime iso={file.createdAt.toISOString()} />,
          endpoint: () => <span className="font-mono text-xs text-slate-700">{file.endpoint}</span>,
        })}
        actions={
          launch || deletable ? (
            <>
              {deletable && <DeleteFileButton id={file.id} name={file.name} blocked={usage.blocked && localize(usage.blocked, locale)} />}
              {launch && (
                <Link href={`/batches/new?file=${encodeURIComponent(file.id)}`} className={cn(buttonClass(), "shrink-0 whitespace-nowrap")}>
                  {t("launch")}
                </Link>
              )}
            </>
          ) : undefined
        }
      />

      <Card className="mb-6">
        <dl className="grid grid-cols-2 gap-x-6 gap-y-5 px-5 py-5 sm:grid-cols-3 lg:grid-cols-6">
          <Stat label={t("stats.status")}>
            <FileStatusBadge status={file.status} problemCount={file.problemCount} />
            {file.origin === "upload" && file.status !== "uploading" && <CheckedFor checkedFor={file.checkedFor} className="mt-1 block text-xs font-normal text-slate-500" />}
          </Stat>
          <Stat label={t("stats.requests")}>{file.status === "uploading" ? "—" : num(file.requestCount)}</Stat>
          <Stat label={t("stats.lines")}>{file.status === "uploading" ? "—" : num(file.lineCount)}</Stat>
          <Stat label={t("stats.size")}>{file.status === "uploading" ? "—" : formatBytes(file.bytes, locale)}</Stat>
          <Stat label={file.models.length === 1 ? t("stats.model") : t("stats.models")}>
            {file.models.length === 0 ? (
              <span className="text-slate-400">—</span>
            ) : (
              <span className="flex flex-wrap gap-1">
                {file.models.map((m) => (
                  <span key={m} className="rounded bg-slate-100 px-1.5 py-0.5 font-mono text-xs text-slate-700">
                    {m}
                  </span>
                ))}
              </span>
            )}
          </Stat>
          <Stat label={t("stats.sha256")}>
            {file.sha256 ? (
              <span className="font-mono text-xs text-slate-600" title={file.sha256}>
                {file.sha256.slice(0, 12)}…
              </span>
            ) : (
              <span className="text-slate-400">—</span>
            )}
          </Stat>
        </dl>
      </Card>

      {csv && <CsvSummary csv={csv} />}

      {file.status === "uploading" && (
        <Notice tone="info">{t("stillChecking")}</Notice>
      )}
      {file.status === "failed" && (
        <Notice tone="error">{t("failed")}</Notice>
      )}

      {file.status === "invalid" && file.origin === "import" && (
        <Card className="mb-6 overflow-hidden">
          <CardHeader title={t("importTitle")} description={t("importDescription")} />
          <ProblemsTable problems={localizeProblems(file.problems, locale)} total={file.problemCount} csv={false} />
        </Card>
      )}
      {file.status === "invalid" && file.origin !== "import" && (
        <Card className="mb-6 overflow-hidden">
          <CardHeader
            title={t("problemsFound", { count: file.problemCount })}
            description={t(csv ? "problemsDescriptionRows" : "problemsDescriptionLines")}
            actions={
              <>
                <a href={problemsCsv} download className={buttonClass("secondary", "sm")}>
                  {t("allProblemsCsv")}
                </a>
                {can.run(role) && (
                  <Link href="/files" className={buttonClass("secondary", "sm")}>
                    {t("uploadFixed")}
                  </Link>
                )}
              </>
            }
          />
          {file.problems[0]?.code === JSON_ARRAY_CODE && (
            <p className="border-b border-slate-100 bg-amber-50 px-5 py-3 text-sm text-amber-900">
              {t.rich("jsonArrayHint", { b: (chunks) => <span className="font-medium">{chunks}</span> })}
            </p>
          )}
          <ProblemsTable problems={localizeProblems(file.problems, locale)} total={file.problemCount} csv={!!csv} />
        </Card>
      )}

      {file.status === "valid" && <JobNote notes={localizeProblems(jobNotes.notes, locale)} className="mb-6" />}

      {file.status === "valid" && jobNotes.otherCount > 0 && (
        <Card className="mb-6 overflow-hidden">
          <CardHeader
            title={t("warnings", { count: jobNotes.otherCount })}
            description={t("warningsDescription")}
          />
          <ProblemsTable problems={localizeProblems(jobNotes.others, locale)} total={jobNotes.otherCount} csv={!!csv} kind="warning" />
        </Card>
      )}

      {file.status === "valid" && (
        <Card className="mb-6 overflow-hidden">
          <CardHeader
            title={t("requests")}
            description={file.requestCount > requests.length ? t("firstOf", { shown: num(requests.length), total: num(file.requestCount) }) : t("all", { count: file.requestCount })}
          />
          <div className="relative overflow-x-auto">
            <table className="w-full table-fixed text-left text-sm">
              <thead className="bg-slate-50/70 text-xs font-medium uppercase tracking-wide text-slate-500">
                <tr>
                  <th scope="col" className="w-16 px-5 py-2.5 text-right">
                    {rowOf ? t("row") : t("line")}
                  </th>
                  <th scope="col" className="w-56 px-3 py-2.5">
                    custom_id
                  </th>
                  <th scope="col" className="w-44 px-3 py-2.5">
                    {t("model")}
                  </th>
                  <th scope="col" className="px-3 py-2.5 pr-5">
                    {t("prompt")}
                  </th>
                </tr>
              </thead>
              <tbody className="divide-y divide-slate-100">
                {requests.map((r) => (
                  <tr key={r.customId} className="align-top">
                    <td className="px-5 py-2.5 text-right font-mono text-xs tabular-nums text-slate-400">{num(rowOf?.get(r.line) ?? r.line)}</td>
                    <td className="truncate px-3 py-2.5 font-mono text-xs text-slate-800" title={r.customId}>
                      {r.customId}
                    </td>
                    <td className="truncate px-3 py-2.5 font-mono text-xs text-slate-600" title={r.model ?? undefined}>
                      {r.model}
                    </td>
                    <td className="px-3 py-2.5 pr-5 text-slate-700">
                      {r.prompt ? (
                        <p className="line-clamp-2 whitespace-pre-line break-words" title={r.prompt.length > 2000 ? `${r.prompt.slice(0, 2000)}…` : r.prompt}>
                          {r.prompt.slice(0, 600)}
                        </p>
                      ) : (
                        <span className="text-slate-400">{t("noText")}</span>
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </Card>
      )}

      {usage && <UsageCard usage={usage} batchesShown={batches.length > 0} />}

      {batches.length > 0 && (
        <Card>
          <CardHeader title={t("batchesTitle")} description={t("batchesCount", { count: batches.length })} />
          <ul className="divide-y divide-slate-100">
            {batches.map((b) => (
              <li key={b.id}>
                <Link href={`/batches/${b.id}`} className="flex flex-wrap items-center justify-between gap-x-4 gap-y-1 px-5 py-3 text-sm hover:bg-slate-50">
                  <span className="min-w-0 max-w-full truncate font-medium text-slate-900">{b.name}</span>
                  <span className="flex flex-wrap items-center gap-x-3 gap-y-1 text-slate-500">
                    <span className="tabular-nums">{t("done", { completed: num(b.completed), total: num(b.total) })}</span>
                    <StatusBadge status={b.status} />
                    <RelativeTime iso={b.createdAt.toISOString()} />
                  </span>
                </Link>
              </li>
            ))}
          </ul>
        </Card>
      )}
    </>
  );
}

const DELIMITER_KEYS: Record<string, "comma" | "semicolon" | "tab"> = { ",": "comma", ";": "semicolon", "\t": "tab" };
const ENCODING_NAMES: Record<string, string> = { "utf-8": "UTF-8", gb18030: "GB18030 (GBK)", "utf-16le": "UTF-16", "utf-16be": "UTF-16 big-endian" };

/** How a CSV upload was read and turned into requests. */
function CsvSummary({ csv }: { csv: CsvFileInfo }) {
  const t = useTranslations("files.page");
  const m = csv.mapping;
  const encoding = csv.encoding ? (ENCODING_NAMES[csv.encoding] ?? csv.encoding) : undefined;
  const delimiter = csv.delimiter ? (DELIMITER_KEYS[csv.delimiter] ? t(`delimiters.${DELIMITER_KEYS[csv.delimiter]}`) : csv.delimiter) : undefined;
  return (
    <Card className="mb-6">
      <CardHeader
        title={t("fromCsv")}
        description={
          <>
            {csv.rows !== undefined ? t("csvRows", { count: csv.rows }) : t("csvRowsUnknown")}
            {csv.blankRows ? t("csvBlank", { count: csv.blankRows }) : ""}
            {csv.bytes !== undefined ? t("csvBytes", { size: formatBytes(csv.bytes) }) : ""}
            {encoding ? t(csv.bom ? "csvReadAsBom" : "csvReadAs", { encoding }) : ""}
            {delimiter ? t("csvSeparated", { delimiter }) : ""}
            {t("csvExplain")}
          </>
        }
        actions={
          csv.templateId ? (
            csv.templateName ? (
              <Link href="/templates" className="rounded-full bg-brand-50 px-2.5 py-1 text-xs font-medium text-brand-700 ring-1 ring-inset ring-brand-200">
                {t("templateChip", { name: csv.templateName })}
              </Link>
            ) : (
              <span className="text-xs text-slate-500">{t("templateDeleted")}</span>
            )
          ) : undefined
        }
      />
      {m && (
        <dl className="grid gap-x-6 gap-y-3 border-t border-slate-100 px-5 py-4 text-sm sm:grid-cols-2">
          <div className="min-w-0">
            <dt className="text-xs font-medium uppercase tracking-wide text-slate-500">{t("csvColumns")}</dt>
            <dd className="mt-1 flex flex-wrap gap-1">
              {(csv.columns ?? []).map((c, i) => (
                <span key={`${c}-${i}`} className="rounded bg-slate-100 px-1.5 py-0.5 font-mono text-xs text-slate-700">
                  {c}
                </span>
              ))}
            </dd>
          </div>
          <div className="min-w-0">
            <dt className="text-xs font-medium uppercase tracking-wide text-slate-500">custom_id</dt>
            <dd className="mt-1 text-slate-800">
              {m.customId.from === "column"
                ? t.rich("customIdColumn", { column: m.customId.column, mono: (chunks) => <span className="font-mono text-xs">{chunks}</span> })
                : t.rich("customIdGenerated", {
                    example: `${m.customId.prefix}${"0".repeat(Math.max(0, m.customId.digits - 1))}2`,
                    mono: (chunks) => <span className="font-mono text-xs">{chunks}</span>,
                  })}
            </dd>
          </div>
          <div className="min-w-0 sm:col-span-2">
            <dt className="text-xs font-medium uppercase tracking-wide text-slate-500">{t("promptTemplate")}</dt>
            <dd className="mt-1 whitespace-pre-wrap break-words rounded-md bg-slate-50 px-3 py-2 font-mono text-xs text-slate-800">{m.template}</dd>
          </div>
          {m.systemPrompt && (
            <div className="min-w-0 sm:col-span-2">
              <dt className="text-xs font-medium uppercase tracking-wide text-slate-500">{t("systemPrompt")}</dt>
              <dd className="mt-1 whitespace-pre-wrap break-words font-mono text-xs text-slate-800">{m.systemPrompt}</dd>
            </div>
          )}
          {(Object.keys(m.params ?? {}).length > 0 || Object.keys(m.extra ?? {}).length > 0) && (
            <div className="min-w-0 sm:col-span-2">
              <dt className="text-xs font-medium uppercase tracking-wide text-slate-500">{t("parameters")}</dt>
              <dd className="mt-1 break-all font-mono text-xs text-slate-800">{JSON.stringify({ ...m.params, ...m.extra })}</dd>
            </div>
          )}
        </dl>
      )}
    </Card>
  );
}

/** What uses the file besides its batches (listed below it): jobs, and the template it was mapped with. */
function UsageCard({ usage, batchesShown }: { usage: FileUsage; batchesShown: boolean }) {
  const t = useTranslations("files.page");
  if (usage.jobs.length === 0 && !usage.template && !batchesShown) {
    return (
      <p className="mb-6 text-sm text-slate-500" data-testid="file-usage">
        {t("usageNone")}
      </p>
    );
  }
  if (usage.jobs.length === 0 && !usage.template) return null;
  return (
    <Card className="mb-6" data-testid="file-usage">
      <CardHeader title={t("usageTitle")} />
      <ul className="divide-y divide-slate-100 text-sm">
        {usage.jobs.map((j) => (
          <li key={j.id} className="flex items-center justify-between gap-4 px-5 py-3">
            <Link href={`/jobs/${j.id}`} className="min-w-0 truncate font-medium text-brand-700 underline underline-offset-2">
              {t("job", { name: j.name })}
            </Link>
            <span className="shrink-0 text-slate-500">{j.queuedParts > 0 ? t("jobWaiting", { count: j.queuedParts }) : t("jobLaunched")}</span>
          </li>
        ))}
        {usage.template && (
          <li className="flex items-center justify-between gap-4 px-5 py-3">
            {usage.template.name ? (
              <Link href="/templates" className="min-w-0 truncate font-medium text-brand-700 underline underline-offset-2">
                {t("template", { name: usage.template.name })}
              </Link>
            ) : (
              <span className="text-slate-600">{t("templateGone")}</span>
            )}
            <span className="shrink-0 text-slate-500">{t("templateStays")}</span>
          </li>
        )}
      </ul>
    </Card>
  );
}

function Stat({ label, children }: { label: string; children: React.ReactNode }) {
  return (
    <div className="min-w-0">
      <dt className="text-xs font-medium uppercase tracking-wide text-slate-500">{label}</dt>
      <dd className="mt-1 text-sm font-medium text-slate-900">{children}</dd>
    </div>
  );
}

function Notice({ tone, children }: { tone: "info" | "error"; children: React.ReactNode }) {
  return (
    <p
      role={tone === "error" ? "alert" : "status"}
      className={
        tone === "error"
          ? "mb-6 rounded-md bg-red-50 px-4 py-3 text-sm text-red-800 ring-1 ring-inset ring-red-200"
          : "mb-6 rounded-md bg-sky-50 px-4 py-3 text-sm text-sky-800 ring-1 ring-inset ring-sky-200"
      }
    >
      {children}
    </p>
  );
}
