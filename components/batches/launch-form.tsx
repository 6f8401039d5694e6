"use client";
// The launch form. One idempotency key per form: a double click, or a retried request, launches one
// batch, not two. A new key is made only after an error, when the user means a new attempt.
import { useState, useTransition } from "react";
import { useRouter } from "next/navigation";
import { useTranslations } from "next-intl";
import type { LaunchOptions } from "@/lib/batches/read/launch-options";
import { launchBatchAction, launchJobAction } from "@/lib/batches/actions";
import { isBuiltInKind, profiles } from "@/lib/providers/profiles";
import type { ProviderProfile } from "@/lib/providers/profile";
import { checkFileForProfile, type ProfileProblem } from "@/lib/providers/checks";
import { formatBytes } from "@/lib/files/format";
import { effectiveProfile } from "@/lib/providers/connections.limits";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { Field, FormMessage, Input, Select, inputClass } from "@/components/ui/field";
import { cn } from "@/components/ui/cn";
import { num } from "./fetch-json";
import { CostEstimate } from "./cost-estimate";
import { SplitPlanPanel, useSplitPlan } from "@/components/jobs/split-plan";
import { splitCanFix } from "@/lib/batches/splittable";
import { QueueNote } from "./queue-note";
import { LaunchVerdictPanel, useLaunchVerdict } from "./launch-verdict";
import { useProviderLabel } from "@/components/ui/provider-label";

/** crypto.randomUUID exists only on https and localhost; a LAN install over http needs the fallback. */
function newKey(): string {
  if (typeof crypto.randomUUID === "function") return crypto.randomUUID();
  const b = crypto.getRandomValues(new Uint8Array(16));
  b[6] = (b[6] & 0x0f) | 0x40;
  b[8] = (b[8] & 0x3f) | 0x80;
  const h = Array.from(b, (x) => x.toString(16).padStart(2, "0")).join("");
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

const nameFromFile = (file: string) => file.replace(/\.(jsonl|csv)$/i, "").slice(0, 200);

type Conn = LaunchOptions["connections"][number];
type FileOption = LaunchOptions["files"][number];

/** The connection's profile with its own limits (custom connections), as launch will check. */
const profileFor = (c: Conn): ProviderProfile | undefined => (profiles[c.kind] ? effectiveProfile(c.kind, c.limits, { name: c.name }) : undefined);

/** The provider's free dry run, when it has one and it can test this file. */
const dryRunFor = (p: ProviderProfile | undefined, f: FileOption) => (p?.capabilities.dryRun && p.capabilities.dryRun.from === f.endpoint ? p.capabilities.dryRun : undefined);

/** What launch will check: the file itself, or for a dry run what is sent (the first requests, on the test model). */
function problemsFor(p: ProviderProfile, f: FileOption, dry: boolean) {
  const d = dry ? dryRunFor(p, f) : undefined;
  return checkFileForProfile(p, d ? { endpoint: d.endpoint, requestCount: Math.min(f.requestCount, d.maxRequests), models: [d.model] } : f);
}
/** A provider's limit problem in the reader's language, from its code (its English message otherwise). */
export function useProfileProblemWords(): (p: ProfileProblem) => string {
  const t = useTranslations("launch.checks");
  const providerName = useProviderLabel();
  return (p) => (p.code ? t(p.code, { ...p.params, provider: providerName(String(p.params?.provider ?? "")) } as never) : p.message);
}

export function LaunchForm({ options, initialFileId }: { options: LaunchOptions; initialFileId: string }) {
  const providerName = useProviderLabel();
  const router = useRouter();
  const t = useTranslations("launch");
  const wordProblem = useProfileProblemWords();
  const { files, connections } = options;
  const [fileId, setFileId] = useState(initialFileId);
  const [connectionId, setConnectionId] = useState(connections[0].id);
  const [completionWindow, setCompletionWindow] = useState(connections[0].completionWindows[0] ?? "24h");
  const file = files.find((f) => f.id === fileId) ?? files[0];
  const connection = connections.find((c) => c.id === connectionId) ?? connections[0];
  const [name, setName] = useState(nameFromFile(file.name));
  const [nameEdited, setNameEdited] = useState(false);
  const [description, setDescription] = useState("");
  const [key, setKey] = useState<string | null>(null);
  const [dryRunWanted, setDryRunWanted] = useState(false);
  const [startAt, setStartAt] = useState("");
  const [result, setResult] = useState<{ message: string; fieldErrors?: Record<string, string> } | null>(null);
  const [pending, start] = useTransition();

  // The checks launch makes, made here too: the form says why a connection cannot take this file.
  const profile = profileFor(connection);
  const dryRun = dryRunFor(profile, file);
  const dry = Boolean(dryRun && dryRunWanted);
  const blockers = profile ? problemsFor(profile, file, dry).map(wordProblem) : [];
  const endpointOk = blockers.length === 0 && (dry || connection.endpoints.length === 0 || connection.endpoints.includes(file.endpoint));
  // Over the limits in a way splitting fixes: offer the file as several batches (one job) instead.
  const split = useSplitPlan(Boolean(profile && !dry && splitCanFix(profile, file)), connection.id, file.id, file.endpoint);
  const splitParts = split?.status === "ready" ? split.plan.parts.length : 0;
  // The server's verdict (every line checked, as launch will), shown beside the pickers.
  const verdict = useLaunchVerdict({ connectionId: connection.id, inputFileId: file.id, endpoint: file.endpoint, dryRun: dry });
  const refused = verdict.status === "ready" && verdict.verdict.verdict === "invalid";
  const instant = !endpointOk && !split ? (blockers.length ? blockers : [t("noEndpoint", { provider: providerName(connection.providerLabel), endpoint: file.endpoint })]) : [];
  const nameMax = Math.min(200, profile?.metadata.nameMax ?? 200);
  const descriptionMax = Math.min(2000, profile?.metadata.descriptionMax ?? 2000);
  const canTake = (id: string) => {
    const c = connections.find((x) => x.id === id);
    const p = c && profileFor(c);
    return !p || problemsFor(p, file, false).length === 0 || (dryRunWanted && problemsFor(p, file, true).length === 0);
  };

  const chooseFile = (id: string) => {
    setFileId(id);
    const f = files.find((x) => x.id === id);
    if (f && !nameEdited) setName(nameFromFile(f.name));
  };

  const chooseConnection = (id: string) => {
    setConnectionId(id);
    const c = connections.find((x) => x.id === id);
    if (c && !c.completionWindows.includes(completionWindow)) setCompletionWindow(c.completionWindows[0] ?? "24h");
  };

  const submit = (e: React.FormEvent) => {
    e.preventDefault();
    // Made on the first submit rather than at render, so the server and the browser never disagree.
    const idempotencyKey = key ?? newKey();
    setKey(idempotencyKey);
    start(async () => {
      setResult(null);
      // datetime-local is the browser's local time: sent as an instant, so the server reads it right.
      const when = startAt ? { startAt: new Date(startAt) } : {};
      if (splitParts > 0) {
        const job = await launchJobAction({ connectionId, inputFileId: file.id, endpoint: file.endpoint, completionWindow, name, description, idempotencyKey, ...when });
        if (job.ok) return router.push(`/jobs/${job.data.jobId}`);
        setResult({ message: job.message, fieldErrors: job.fieldErrors });
        setKey(null);
        return;
      }
      const res = await launchBatchAction({
        connectionId,
        inputFileId: file.id,
        endpoint: file.endpoint,
        completionWindow,
        name,
        description,
        idempotencyKey,
        ...(dry ? { dryRun: true } : {}),
        ...when,
      });
      if (res.ok) {
        // A batch that waits (its start time, or no room on the connection yet) is shown on its job's page.
        router.push("batchId" in res.data ? `/batches/${res.data.batchId}` : `/jobs/${res.data.jobId}`);
        return;
      }
      setResult({ message: res.message, fieldErrors: res.fieldErrors });
      setKey(null); // the next submit is a new attempt
    });
  };

  const fe = result?.fieldErrors ?? {};

  return (
    <Card className="max-w-2xl">
      <form onSubmit={submit} className="space-y-5 p-6" noValidate>
        <Field
          label={t("inputFile")}
          name="inputFileId"
          error={fe.inputFileId}
          hint={t("fileHint", { count: file.requestCount, models: file.models.join(", ") || t("noModel") })}
        >
          <Select name="inputFileId" value={file.id} onChange={(e) => chooseFile(e.target.value)} error={fe.inputFileId} disabled={pending}>
            {files.map((f) => (
              <option key={f.id} value={f.id}>
                {t("fileOption", { name: f.name, count: f.requestCount })}
              </option>
            ))}
          </Select>
        </Field>

        <Field label={t("connection")} name="connectionId" error={fe.connectionId} hint={providerName(connection.providerLabel)}>
          <Select name="connectionId" value={connection.id} onChange={(e) => chooseConnection(e.target.value)} error={fe.connectionId} disabled={pending}>
            {connections.map((c) => (
              <option key={c.id} value={c.id}>
                {c.name}
                {isBuiltInKind(c.kind) ? ` ${t("builtInOption")}` : ` (${providerName(c.providerLabel)})`}
                {canTake(c.id) ? "" : profileFor(c) && splitCanFix(profileFor(c)!, file) ? ` ${t("asSeveral")}` : ` ${t("cannotTake")}`}
              </option>
            ))}
          </Select>
        </Field>
        <LaunchVerdictPanel
          state={verdict}
          connection={connection.name}
          instant={instant}
          split={split && <SplitPlanPanel state={split} providerLabel={connection.name} />}
        />

        <div className="grid gap-5 sm:grid-cols-2">
          <Field
            label={t("endpoint")}
            name="endpoint"
            error={fe.endpoint}
            hint={
              dry && dryRun
                ? t("endpointDry", { endpoint: dryRun.endpoint })
                : profile?.runsAs?.[file.endpoint]
                  ? t("endpointRunsAs", { api: profile.runsAs[file.endpoint] })
                  : t("endpointHint")
            }
          >
            <input id="endpoint" readOnly value={file.endpoint} className={cn(inputClass, "bg-slate-50 font-mono text-slate-600")} />
          </Field>
          <Field label={t("window")} name="completionWindow" error={fe.completionWindow} hint={profile?.windowNote ?? t("windowHint")}>
            <Select
              name="completionWindow"
              value={completionWindow}
              onChange={(e) => setCompletionWindow(e.target.value)}
              error={fe.completionWindow}
              disabled={pending}
            >
              {connection.completionWindows.map((w) => (
                <option key={w} value={w}>
                  {w}
                </option>
              ))}
            </Select>
          </Field>
        </div>
        {dryRun && (
          <div className="rounded-md bg-sky-50 px-3 py-3 text-sm text-sky-950 ring-1 ring-sky-200">
            <label className="flex items-start gap-2 font-medium">
              <input
                type="checkbox"
                name="dryRun"
                checked={dryRunWanted}
                onChange={(e) => setDryRunWanted(e.target.checked)}
                disabled={pending}
                className="mt-0.5 size-4 rounded border-slate-300"
                aria-describedby="dryRun-help"
              />
              {t("dryRun")}
            </label>
            <div id="dryRun-help" className="mt-1 space-y-1 pl-6 text-sky-900">
              <p>
                {t.rich("dryRunSends", {
                  provider: providerName(connection.providerLabel),
                  model: dryRun.model,
                  endpoint: dryRun.endpoint,
                  answer: dryRun.answer,
                  code: (chunks) => <code className="font-mono text-xs">{chunks}</code>,
                })}
              </p>
              <p>
                {file.requestCount > dryRun.maxRequests || file.bytes > dryRun.maxFileBytes
                  ? t("dryRunFirst", {
                      maxRequests: num(dryRun.maxRequests),
                      maxBytes: formatBytes(dryRun.maxFileBytes),
                      requests: num(file.requestCount),
                      bytes: formatBytes(file.bytes),
                      sent: num(Math.min(file.requestCount, dryRun.maxRequests)),
                    })
                  : t("dryRunAll", { requests: num(file.requestCount), maxRequests: num(dryRun.maxRequests), maxBytes: formatBytes(dryRun.maxFileBytes) })}
              </p>
              <p className="text-xs text-sky-800">{t("dryRunKeeps")}</p>
            </div>
          </div>
        )}
        {!dryRun && profile?.capabilities.dryRun && (
          <p className="text-xs text-slate-500">
            {t("dryRunOnly", { provider: providerName(connection.providerLabel), from: profile.capabilities.dryRun.from, endpoint: file.endpoint })}
          </p>
        )}

        <Field label={t("name")} name="name" error={fe.name} hint={nameMax < 200 ? t("nameHint", { provider: providerName(connection.providerLabel), max: nameMax }) : undefined}>
          <Input
            name="name"
            value={name}
            maxLength={nameMax}
            required
            onChange={(e) => {
              setName(e.target.value);
              setNameEdited(true);
            }}
            error={fe.name}
            disabled={pending}
          />
        </Field>

        <Field label={t("description")} name="description" error={fe.description} hint={t("descriptionHint", { max: descriptionMax, provider: providerName(connection.providerLabel) })}>
          <textarea
            id="description"
            name="description"
            rows={3}
            maxLength={descriptionMax}
            value={description}
            onChange={(e) => setDescription(e.target.value)}
            aria-invalid={fe.description ? true : undefined}
            aria-describedby={fe.description ? "description-error" : undefined}
            className={inputClass}
            disabled={pending}
          />
        </Field>

        {!dry && (
          <Field
            label={t("startAt")}
            name="startAt"
            error={fe.startAt}
            hint={t("startAtHint")}
          >
            <Input name="startAt" type="datetime-local" value={startAt} onChange={(e) => setStartAt(e.target.value)} error={fe.startAt} disabled={pending} />
          </Field>
        )}
        {!dry && <QueueNote queue={connection.queue} models={file.models} connection={connection.name} />}

        <CostEstimate fileId={file.id} completionWindow={completionWindow} connectionId={connection.id} />

        <FormMessage message={result?.message} />

        <div className="flex items-center justify-between gap-4 border-t border-slate-100 pt-5">
          <p className="text-sm text-slate-500">
            {dry && dryRun
              ? t("summaryDry", { count: Math.min(file.requestCount, dryRun.maxRequests), model: dryRun.model, connection: connection.name })
              : splitParts
                ? t("summarySplit", { count: file.requestCount, connection: connection.name, parts: splitParts })
                : t("summary", { count: file.requestCount, connection: connection.name })}
          </p>
          <Button type="submit" disabled={pending || refused || !(endpointOk || splitParts > 0) || !name.trim()}>
            {pending
              ? t("launching")
              : dry
                ? t("launchDry")
                : startAt
                  ? splitParts
                    ? t("scheduleParts", { parts: splitParts })
                    : t("schedule")
                  : splitParts
                    ? t("launchParts", { parts: splitParts })
                    : t("launch")}
          </Button>
        </div>
      </form>
    </Card>
  );
}
