"use client";
// The launch form. One idempotency key per form: a double click, or a retried request, launches one
// batch, not two. A new key is made only after an error, when the user means a new attempt.
import { useState, useTransition } from "react";
import { useRouter } from "next/navigation";
import type { LaunchOptions } from "@/lib/batches/read/launch-options";
import { launchBatchAction, launchJobAction } from "@/lib/batches/actions";
import { isBuiltInKind, profiles } from "@/lib/providers/profiles";
import type { ProviderProfile } from "@/lib/providers/profile";
import { checkFileForProfile } from "@/lib/providers/checks";
import { formatBytes } from "@/lib/files/format";
import { effectiveProfile } from "@/lib/providers/connections.limits";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { Field, FormMessage, Input, Select, inputClass } from "@/components/ui/field";
import { cn } from "@/components/ui/cn";
import { num } from "./fetch-json";
import { CostEstimate } from "./cost-estimate";
import { SplitPlanPanel, batchesText, useSplitPlan } from "@/components/jobs/split-plan";
import { splitCanFix } from "@/lib/batches/splittable";
import { QueueNote } from "./queue-note";
import { LaunchVerdictPanel, useLaunchVerdict } from "./launch-verdict";

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
  return checkFileForProfile(p, d ? { endpoint: d.endpoint, requestCount: Math.min(f.requestCount, d.maxRequests), models: [d.model] } : f).map((x) => x.message);
}
export function LaunchForm({ options, initialFileId }: { options: LaunchOptions; initialFileId: string }) {
  const router = useRouter();
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
  const blockers = profile ? problemsFor(profile, file, dry) : [];
  const endpointOk = blockers.length === 0 && (dry || connection.endpoints.length === 0 || connection.endpoints.includes(file.endpoint));
  // Over the limits in a way splitting fixes: offer the file as several batches (one job) instead.
  const split = useSplitPlan(Boolean(profile && !dry && splitCanFix(profile, file)), connection.id, file.id, file.endpoint);
  const splitParts = split?.status === "ready" ? split.plan.parts.length : 0;
  // The server's verdict (every line checked, as launch will), shown beside the pickers.
  const verdict = useLaunchVerdict({ connectionId: connection.id, inputFileId: file.id, endpoint: file.endpoint, dryRun: dry });
  const refused = verdict.status === "ready" && verdict.verdict.verdict === "invalid";
  const instant = !endpointOk && !split ? (blockers.length ? blockers : [`${connection.providerLabel} does not offer ${file.endpoint}.`]) : [];
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
        <Field label="Input file" name="inputFileId" error={fe.inputFileId} hint={`${num(file.requestCount)} requests · ${file.models.join(", ") || "model not set"}`}>
          <Select name="inputFileId" value={file.id} onChange={(e) => chooseFile(e.target.value)} error={fe.inputFileId} disabled={pending}>
            {files.map((f) => (
              <option key={f.id} value={f.id}>
                {f.name} ({num(f.requestCount)} requests)
              </option>
            ))}
          </Select>
        </Field>

        <Field label="Provider connection" name="connectionId" error={fe.connectionId} hint={connection.providerLabel}>
          <Select name="connectionId" value={connection.id} onChange={(e) => chooseConnection(e.target.value)} error={fe.connectionId} disabled={pending}>
            {connections.map((c) => (
              <option key={c.id} value={c.id}>
                {c.name}
                {isBuiltInKind(c.kind) ? " (built-in test provider, no key needed)" : ` (${c.providerLabel})`}
                {canTake(c.id) ? "" : profileFor(c) && splitCanFix(profileFor(c)!, file) ? " (as several batches)" : " (cannot take this file)"}
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
            label="Endpoint"
            name="endpoint"
            error={fe.endpoint}
            hint={
              dry && dryRun
                ? `Set by the file; the dry run sends it as ${dryRun.endpoint}.`
                : profile?.runsAs?.[file.endpoint]
                  ? `Set by the file. Sent as ${profile.runsAs[file.endpoint]}, each request converted.`
                  : "Set by the file: every request line names it."
            }
          >
            <input id="endpoint" readOnly value={file.endpoint} className={cn(inputClass, "bg-slate-50 font-mono text-slate-600")} />
          </Field>
          <Field label="Completion window" name="completionWindow" error={fe.completionWindow} hint={profile?.windowNote ?? "How long the provider may take."}>
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
              Dry run (free)
            </label>
            <div id="dryRun-help" className="mt-1 space-y-1 pl-6 text-sky-900">
              <p>
                Sends the file&apos;s requests, each rewritten to {connection.providerLabel}&apos;s free test model <code className="font-mono text-xs">{dryRun.model}</code> on{" "}
                <code className="font-mono text-xs">{dryRun.endpoint}</code>. It checks the file&apos;s format and the whole flow (upload, batch,
                progress, results), not the model&apos;s answers: every answer is “{dryRun.answer}”
              </p>
              <p>
                {file.requestCount > dryRun.maxRequests || file.bytes > dryRun.maxFileBytes
                  ? `The test takes at most ${num(dryRun.maxRequests)} lines and ${formatBytes(dryRun.maxFileBytes)}: this file has ${num(file.requestCount)} requests (${formatBytes(file.bytes)}), so the dry run sends its first ${num(Math.min(file.requestCount, dryRun.maxRequests))} that fit.`
                  : `All ${num(file.requestCount)} requests fit the test's limits (${num(dryRun.maxRequests)} lines, ${formatBytes(dryRun.maxFileBytes)}).`}
              </p>
              <p className="text-xs text-sky-800">The stored file is not changed: a real launch later sends it whole, to the model it names.</p>
            </div>
          </div>
        )}
        {!dryRun && profile?.capabilities.dryRun && (
          <p className="text-xs text-slate-500">
            {connection.providerLabel}&apos;s free dry run tests {profile.capabilities.dryRun.from} files only; this file is for {file.endpoint}.
          </p>
        )}

        <Field label="Name" name="name" error={fe.name} hint={nameMax < 200 ? `${connection.providerLabel} keeps names to ${nameMax} characters.` : undefined}>
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

        <Field label="Description (optional)" name="description" error={fe.description} hint={`What this batch is for, for your team (at most ${descriptionMax.toLocaleString("en-US")} characters for ${connection.providerLabel}).`}>
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
            label="Start at (optional)"
            name="startAt"
            error={fe.startAt}
            hint="Leave empty to start now. A later time keeps the launch waiting until then (up to 30 days), on the job's page."
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
              ? `Dry run: ${num(Math.min(file.requestCount, dryRun.maxRequests))} requests to ${dryRun.model} on ${connection.name}`
              : `${num(file.requestCount)} requests to ${connection.name}${splitParts ? ` in ${batchesText(splitParts)}` : ""}`}
          </p>
          <Button type="submit" disabled={pending || refused || !(endpointOk || splitParts > 0) || !name.trim()}>
            {pending ? "Launching…" : dry ? "Launch dry run" : startAt ? (splitParts ? `Schedule ${batchesText(splitParts)}` : "Schedule batch") : splitParts ? `Launch as ${batchesText(splitParts)}` : "Launch batch"}
          </Button>
        </div>
      </form>
    </Card>
  );
}
