"use client";
// The upload panel of the Files page: choose what to check for and the endpoint, drop or pick a
// .jsonl or .csv file, then watch it being sent, checked and saved (use-upload.ts), and see how it
// ended. "Check for" picks a connection: the file is then checked against that provider's limits
// instead of the loosest ones. A CSV first goes through the mapping step (../csv-mapping): its start
// is read for a preview, the columns are mapped (or a saved template is used), and the whole file is
// then sent with its mapping and converted on the server. The connections and the team's templates
// come from the page; a template saved here reaches them through a refresh of the page.
import { useRouter } from "next/navigation";
import { useState } from "react";
import { useFormatter, useTranslations } from "next-intl";
import { useProviderLabel } from "@/components/ui/provider-label";
import { Card, CardHeader } from "@/components/ui/card";
import { Field, Select } from "@/components/ui/field";
import { formatBytes } from "@/lib/files/format";
import type { UploadLimitsView, UploadTarget } from "@/lib/files/upload-targets";
import { MappingStep } from "@/components/files/csv-mapping/mapping-step";
import type { TemplateOption } from "@/components/files/csv-mapping/csv-form";
import { DropZone } from "./drop-zone";
import { isCsv } from "./read-head";
import { sampleLine } from "./sample-line";
import { TargetSelect } from "./target-select";
import { UploadOutcome } from "./upload-outcome";
import { UploadProgress } from "./upload-progress";
import { useUpload } from "./use-upload";

export function UploadPanel({
  endpoints: allEndpoints,
  limits: loosest,
  targets,
  templates,
  templateId: initialTemplateId,
}: {
  endpoints: string[];
  /** The loosest limits of any provider, checked when no connection is chosen. */
  limits: UploadLimitsView;
  targets: UploadTarget[];
  templates: TemplateOption[];
  /** A saved template to start CSV files from (/files?template=). */
  templateId?: string;
}) {
  const router = useRouter();
  const t = useTranslations("upload");
  const providerName = useProviderLabel();
  const format = useFormatter();
  const [targetId, setTargetId] = useState("");
  const target = targets.find((t) => t.id === targetId);
  const limits: UploadLimitsView = target ?? loosest;
  const endpoints = target ? allEndpoints.filter((e) => target.endpoints.includes(e)) : allEndpoints;
  const [endpoint, setEndpoint] = useState(endpoints[0] ?? "/v1/chat/completions");
  const { state, busy, start, readCsv, cancel, reset, convertLast } = useUpload({ endpoint, limits, target });
  const startTemplate = templates.find((t) => t.id === initialTemplateId);

  const chooseTarget = (id: string) => {
    setTargetId(id);
    const t = targets.find((x) => x.id === id);
    if (t && !t.endpoints.includes(endpoint)) setEndpoint(allEndpoints.find((e) => t.endpoints.includes(e)) ?? endpoint);
  };

  const pick = (files: FileList | null) => {
    const f = files?.[0];
    if (!f || busy) return;
    if (isCsv(f)) {
      if (f.size > (limits.job ?? limits).maxFileBytes) start(f); // refused with the size message
      else void readCsv(f, "");
    } else start(f);
  };

  const targetSelect = <TargetSelect targets={targets} value={targetId} onChange={chooseTarget} disabled={busy} />;

  if (state.phase === "mapping") {
    return (
      <Card className="mb-8 overflow-hidden">
        <CardHeader title={t("mappingTitle")} description={t("mappingDescription")} />
        <MappingStep
          // A new form when the file or its reading changes, not while it is edited.
          key={`${state.file.name}-${state.file.size}-${state.preview.encoding}`}
          file={state.file}
          preview={state.preview}
          encoding={state.encoding}
          onEncoding={(enc) => void readCsv(state.file, enc)}
          templates={templates}
          initialTemplateId={initialTemplateId}
          canSave
          onTemplateSaved={() => router.refresh()}
          target={targetSelect}
          onUpload={(mapping, templateId) => start(state.file, { mapping, templateId, encoding: state.encoding || undefined })}
          onCancel={reset}
        />
      </Card>
    );
  }

  return (
    <Card className="mb-8">
      <CardHeader
        title={t("title")}
        description={
          <>
            {limits.job
              ? t("descriptionJob", {
                  requests: format.number(limits.maxRequests),
                  fileSize: formatBytes(limits.maxFileBytes),
                  jobRequests: format.number(limits.job.maxRequests),
                  jobFileSize: formatBytes(limits.job.maxFileBytes),
                  lineSize: formatBytes(limits.maxLineBytes),
                })
              : t("description", { requests: format.number(limits.maxRequests), fileSize: formatBytes(limits.maxFileBytes), lineSize: formatBytes(limits.maxLineBytes) })}
            {target ? (target.fileNameRule ? t("forTargetRule", { label: providerName(target.label), rule: target.fileNameRule }) : t("forTarget", { label: providerName(target.label) })) : t("forAny")}
          </>
        }
      />
      <div className="grid gap-5 p-5 md:grid-cols-[16rem_1fr]">
        <div className="space-y-4">
          {targetSelect}
          <Field label={t("endpoint")} name="endpoint" hint={t.rich("endpointHint", { code: (chunks) => <code className="font-mono">{chunks}</code> })}>
            <Select name="endpoint" value={endpoint} onChange={(e) => setEndpoint(e.target.value)} disabled={busy}>
              {endpoints.map((e) => (
                <option key={e} value={e}>
                  {e}
                </option>
              ))}
            </Select>
          </Field>
          <details className="text-xs text-slate-500">
            <summary className="cursor-pointer font-medium text-slate-600 hover:text-slate-900">{t("sampleLine")}</summary>
            <pre className="mt-2 overflow-x-auto rounded-md bg-ink-950 p-3 font-mono text-[11px] leading-relaxed text-ink-50">
              {sampleLine(endpoint)}
            </pre>
          </details>
        </div>

        <div className="flex min-w-0 flex-col gap-3">
          {state.phase === "idle" || state.phase === "error" ? (
            <>
              <DropZone onFiles={pick} templateName={startTemplate?.name} />
              {state.phase === "idle" && state.notice && (
                <p role="status" className="rounded-md bg-slate-100 px-3 py-2 text-sm text-slate-700">
                  {state.notice}
                </p>
              )}
              {state.phase === "error" && (
                <p role="alert" className="rounded-md bg-red-50 px-3 py-2 text-sm text-red-700">
                  {state.message}
                </p>
              )}
            </>
          ) : state.phase === "done" ? (
            <UploadOutcome file={state.file} onAgain={reset} onConvert={convertLast} />
          ) : state.phase === "reading" ? (
            <div className="flex min-h-40 flex-col items-center justify-center rounded-lg bg-slate-50 px-6 py-6 text-sm text-slate-600 ring-1 ring-inset ring-slate-200" role="status">
              {t("readingColumns", { name: state.name })}
            </div>
          ) : (
            <UploadProgress state={state} onCancel={cancel} />
          )}
        </div>
      </div>
    </Card>
  );
}
