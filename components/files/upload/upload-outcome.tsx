"use client";
// How an upload ended: valid (what was stored, whose limits it was checked against, its warnings,
// and the way on: launch a batch, view the requests), already uploaded (the same bytes: the file
// stored before, nothing new), invalid (nothing stored; every problem by line, or by row and column
// for a CSV, all of them as CSV, and for a JSON array the one-click conversion to JSONL), or failed
// on our side. Each offers to upload another file.
import Link from "next/link";
import { useLocale, useTranslations } from "next-intl";
import { Button, buttonClass } from "@/components/ui/button";
import { formatBytes } from "@/lib/files/format";
import { splitJobNotes, type ImportedFile } from "@/lib/files/types";
import { JobNote } from "@/components/files/job-note";
import { ProblemsTable } from "@/components/files/problems-table";
import { CheckedFor } from "@/components/files/file-status";

/** The problem code of a JSON array (lib/files/json-array.ts, not imported: it is server code). */
const JSON_ARRAY = "json-array";

/** The way on from a stored file: launch a batch from it, and the others the outcome offers. */
function NextSteps({ file, onAgain, children }: { file: ImportedFile; onAgain: () => void; children?: React.ReactNode }) {
  const t = useTranslations("upload");
  return (
    <div className="mt-4 flex flex-wrap gap-2">
      <Link href={`/batches/new?file=${encodeURIComponent(file.id)}`} className={buttonClass()}>
        {t("launch")}
      </Link>
      {children}
      <Button variant="ghost" onClick={onAgain}>
        {t("another")}
      </Button>
    </div>
  );
}

export function UploadOutcome({ file, onAgain, onConvert }: { file: ImportedFile; onAgain: () => void; onConvert?: () => void }) {
  const t = useTranslations("upload");
  const locale = useLocale();
  if (file.duplicate) {
    return (
      <div className="rounded-lg bg-sky-50 px-5 py-5 ring-1 ring-inset ring-sky-200" role="status" data-testid="upload-duplicate">
        <p className="text-sm font-semibold text-sky-900">
          {t.rich("duplicateTitle", {
            name: file.name,
            link: (chunks) => (
              <Link href={`/files/${encodeURIComponent(file.id)}`} className="underline underline-offset-2">
                {chunks}
              </Link>
            ),
          })}
        </p>
        <p className="mt-0.5 text-sm text-sky-800">{t("duplicateBody", { count: file.requestCount })}</p>
        <CheckedFor checkedFor={file.checkedFor} className="mt-0.5 block text-xs text-sky-800" />
        <NextSteps file={file} onAgain={onAgain} />
      </div>
    );
  }
  if (file.status === "valid") {
    return (
      <div className="rounded-lg bg-emerald-50 px-5 py-5 ring-1 ring-inset ring-emerald-200" role="status">
        <div className="flex items-start gap-3">
          <span className="mt-0.5 grid h-6 w-6 shrink-0 place-items-center rounded-full bg-emerald-500 text-sm text-white" aria-hidden>
            ✓
          </span>
          <div className="min-w-0">
            <p className="text-sm font-semibold text-emerald-900">{t("valid", { count: file.requestCount })}</p>
            <p className="mt-0.5 truncate text-sm text-emerald-800" title={file.name}>
              {file.name} · {file.csv ? t("csvSize", { count: file.csv.rows, size: formatBytes(file.csv.bytes, locale) }) : formatBytes(file.bytes, locale)} ·{" "}
              {file.models.length === 1 ? file.models[0] : t("modelsCount", { count: file.models.length })} · <span className="font-mono text-xs">{file.endpoint}</span>
            </p>
            <CheckedFor checkedFor={file.checkedFor} className="mt-0.5 block text-xs text-emerald-800" />
          </div>
        </div>
        <JobNote notes={splitJobNotes(file.warnings, file.warningCount).notes} className="mt-4" />
        {splitJobNotes(file.warnings, file.warningCount).otherCount > 0 && <Warnings file={file} />}
        <NextSteps file={file} onAgain={onAgain}>
          <Link href={`/files/${encodeURIComponent(file.id)}`} className={buttonClass("secondary")}>
            {t("viewRequests")}
          </Link>
        </NextSteps>
      </div>
    );
  }
  if (file.status === "invalid") {
    return (
      <div className="overflow-hidden rounded-lg ring-1 ring-red-200" role="alert">
        <div className="flex flex-wrap items-start justify-between gap-3 bg-red-50 px-4 py-3">
          <div className="min-w-0">
            <p className="text-sm font-semibold text-red-900">{t("hasProblems", { name: file.name, count: file.problemCount })}</p>
            <p className="mt-0.5 text-sm text-red-800">{t(file.format === "csv" ? "nothingStoredRows" : "nothingStoredLines")}</p>
          </div>
          <div className="flex flex-wrap gap-2">
            {file.problemCount > file.problems.length && (
              <a href={`/api/files/${encodeURIComponent(file.id)}/problems.csv`} download className={buttonClass("secondary", "sm")}>
                {t("allProblemsCsv", { count: file.problemCount })}
              </a>
            )}
            <Button variant="secondary" size="sm" onClick={onAgain}>
              {t("uploadFixed")}
            </Button>
          </div>
        </div>
        {file.problems[0]?.code === JSON_ARRAY && onConvert && (
          <div className="flex flex-wrap items-center justify-between gap-3 border-t border-red-100 bg-white px-4 py-3">
            <p className="text-sm text-slate-700">{t("convertHint")}</p>
            <Button size="sm" onClick={onConvert}>
              {t("convert")}
            </Button>
          </div>
        )}
        <div className="bg-white">
          <ProblemsTable problems={file.problems} total={file.problemCount} csv={file.format === "csv"} />
        </div>
      </div>
    );
  }
  return (
    <div className="rounded-lg bg-red-50 px-4 py-4 text-sm text-red-800 ring-1 ring-inset ring-red-200" role="alert">
      {t("failed", { name: file.name })}
      <Button variant="secondary" size="sm" className="ml-3" onClick={onAgain}>
        {t("tryAgain")}
      </Button>
    </div>
  );
}

/** A valid file's warnings: requests the provider will likely refuse, though the file can be launched. */
function Warnings({ file }: { file: ImportedFile }) {
  const t = useTranslations("upload");
  const { others, otherCount } = splitJobNotes(file.warnings, file.warningCount);
  return (
    <div className="mt-4 overflow-hidden rounded-md bg-white ring-1 ring-amber-200">
      <p className="bg-amber-50 px-4 py-2 text-sm text-amber-900">
        <span className="font-semibold">{t("warnings", { count: otherCount })}</span> {t("warningsBody")}
      </p>
      <ProblemsTable problems={others} total={otherCount} csv={file.format === "csv"} kind="warning" />
    </div>
  );
}
