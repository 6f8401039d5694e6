"use client";
// The upload panel: choose the endpoint, drop or pick a .jsonl or .csv file, then watch it being sent
// (XMLHttpRequest, because fetch cannot report upload progress), checked and saved (the NDJSON
// answer of /api/uploads, read as it arrives). Cancel aborts the request; the server then keeps
// nothing of it. "Check for" picks a connection: the file is then checked against that provider's
// limits (?connection= on the upload) instead of the loosest ones. A CSV first goes through the
// mapping step (csv-mapping.tsx): its start is read for a preview, the columns are mapped (or a saved
// template is used), and the whole file is then sent with its mapping and converted on the server.
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useCallback, useEffect, useRef, useState } from "react";
import { Button, buttonClass } from "@/components/ui/button";
import { Card, CardHeader } from "@/components/ui/card";
import { cn } from "@/components/ui/cn";
import { Field, Select } from "@/components/ui/field";
import { formatBytes, formatCount, plural } from "@/lib/files/format";
import { uploadTargetsAction } from "@/lib/providers/connections.action";
import type { ImportedFile, UploadEvent } from "@/lib/files/types";
import type { CsvMapping } from "@/lib/csv/mapping";
import { PREVIEW_HEAD_BYTES, type HeadPreview } from "@/lib/csv/types";
import { previewCsvAction } from "@/lib/csv/preview.action";
import { listTemplatesAction } from "@/lib/templates/templates.action";
import { CsvMappingStep, type TemplateOption } from "./csv-mapping";
import { ProblemsTable } from "@/components/files/problems-table";

export interface UploadLimitsView {
  maxFileBytes: number;
  maxRequests: number;
  maxLineBytes: number;
}

type State =
  | { phase: "idle"; notice?: string }
  | { phase: "reading"; name: string }
  | { phase: "mapping"; file: File; preview: HeadPreview; encoding: string }
  | { phase: "sending"; name: string; size: number; loaded: number }
  | { phase: "converting"; name: string; size: number; rows: number; bytes: number }
  | { phase: "checking"; name: string; size: number; lines: number; bytes: number }
  | { phase: "storing"; name: string; size: number; stored: number; total: number }
  | { phase: "done"; file: ImportedFile }
  | { phase: "error"; name?: string; message: string };

const steps = ["Send", "Check", "Save"] as const;

interface Target extends UploadLimitsView {
  id: string;
  name: string;
  label: string;
  endpoints: string[];
  fileNameRule: string | null;
}

interface CsvUpload {
  mapping: CsvMapping;
  templateId?: string;
  encoding?: string;
}

const isCsv = (f: File) => /\.(csv|tsv)$/i.test(f.name) || f.type === "text/csv";

/** The start of a file for its preview, cut after its last whole line (in UTF-16, a whole "\n" character). */
async function readHead(file: File): Promise<{ head: Blob; truncated: boolean }> {
  if (file.size <= PREVIEW_HEAD_BYTES) return { head: file, truncated: false };
  const b = new Uint8Array(await file.slice(0, PREVIEW_HEAD_BYTES).arrayBuffer());
  let end = -1;
  if ((b[0] === 0xff && b[1] === 0xfe) || (b[0] === 0xfe && b[1] === 0xff)) {
    const le = b[0] === 0xff;
    for (let i = b.length - 2 - (b.length % 2); i >= 2; i -= 2) {
      if (le ? b[i] === 0x0a && b[i + 1] === 0 : b[i] === 0 && b[i + 1] === 0x0a) {
        end = i + 2;
        break;
      }
    }
  } else {
    const nl = b.lastIndexOf(0x0a);
    if (nl >= 0) end = nl + 1;
  }
  return { head: new Blob([end > 0 ? b.subarray(0, end) : b]), truncated: true };
}

export function UploadPanel({
  endpoints: allEndpoints,
  limits: loosest,
  templateId: initialTemplateId,
}: {
  endpoints: string[];
  limits: UploadLimitsView;
  /** A saved template to start CSV files from (/files?template=). */
  templateId?: string;
}) {
  const router = useRouter();
  const [targets, setTargets] = useState<Target[]>([]);
  const [targetId, setTargetId] = useState("");
  const target = targets.find((t) => t.id === targetId);
  const limits: UploadLimitsView = target ?? loosest;
  const endpoints = target ? allEndpoints.filter((e) => target.endpoints.includes(e)) : allEndpoints;
  const [endpoint, setEndpoint] = useState(endpoints[0] ?? "/v1/chat/completions");

  const [templates, setTemplates] = useState<TemplateOption[]>([]);
  const [templatesLoaded, setTemplatesLoaded] = useState(false);
  const loadTemplates = useCallback(async () => {
    const r = await listTemplatesAction();
    if (r.ok) setTemplates(r.data.map((t) => ({ id: t.id, name: t.name, mapping: t.mapping })));
    setTemplatesLoaded(true);
  }, []);

  useEffect(() => {
    let live = true;
    void uploadTargetsAction().then((r) => {
      if (live && r.ok) setTargets(r.data);
    });
    void listTemplatesAction().then((r) => {
      if (!live) return;
      if (r.ok) setTemplates(r.data.map((t) => ({ id: t.id, name: t.name, mapping: t.mapping })));
      setTemplatesLoaded(true);
    });
    return () => {
      live = false;
    };
  }, []);
  const startTemplate = templates.find((t) => t.id === initialTemplateId);

  const chooseTarget = (id: string) => {
    setTargetId(id);
    const t = targets.find((x) => x.id === id);
    if (t && !t.endpoints.includes(endpoint)) setEndpoint(allEndpoints.find((e) => t.endpoints.includes(e)) ?? endpoint);
  };
  const [state, setState] = useState<State>({ phase: "idle" });
  const [dragging, setDragging] = useState(false);
  const xhrRef = useRef<XMLHttpRequest | null>(null);
  const inputRef = useRef<HTMLInputElement>(null);

  useEffect(() => () => xhrRef.current?.abort(), []);

  const start = useCallback(
    (file: File, csv?: CsvUpload) => {
      if (file.size > limits.maxFileBytes) {
        setState({
          phase: "error",
          name: file.name,
          message: `${file.name} is ${formatBytes(file.size)}, over the ${formatBytes(limits.maxFileBytes)} limit for one batch file${target ? ` of ${target.label}` : ""}. Split it into smaller files.`,
        });
        return;
      }
      const name = file.name;
      const size = file.size;
      const xhr = new XMLHttpRequest();
      xhrRef.current = xhr;
      let read = 0;
      let done: ImportedFile | null = null;
      let failure: string | null = null;

      // Handles the complete NDJSON lines that have arrived so far.
      const consume = () => {
        if (xhr.status !== 200) return;
        const text = xhr.responseText;
        let nl: number;
        while ((nl = text.indexOf("\n", read)) !== -1) {
          const line = text.slice(read, nl);
          read = nl + 1;
          if (!line.trim()) continue;
          const e = JSON.parse(line) as UploadEvent;
          if (e.type === "received") setState(csv ? { phase: "converting", name, size, rows: 0, bytes: 0 } : { phase: "checking", name, size, lines: 0, bytes: 0 });
          else if (e.type === "progress" && e.phase === "converting") setState({ phase: "converting", name, size, rows: e.rows, bytes: e.bytes });
          else if (e.type === "progress" && e.phase === "checking") setState({ phase: "checking", name, size, lines: e.lines, bytes: e.bytes });
          else if (e.type === "progress" && e.phase === "storing") setState({ phase: "storing", name, size, stored: e.stored, total: e.total });
          else if (e.type === "done") done = e.file;
          else if (e.type === "error") failure = e.message;
        }
      };

      xhr.upload.onprogress = (e) => setState({ phase: "sending", name, size, loaded: e.loaded });
      xhr.upload.onload = () => setState(csv ? { phase: "converting", name, size, rows: 0, bytes: 0 } : { phase: "checking", name, size, lines: 0, bytes: 0 });
      xhr.onprogress = consume;
      xhr.onload = () => {
        xhrRef.current = null;
        if (xhr.status !== 200) {
          let message = `The upload failed (HTTP ${xhr.status}).`;
          try {
            message = (JSON.parse(xhr.responseText) as { error?: string }).error ?? message;
          } catch {
            // not JSON: keep the generic message
          }
          setState({ phase: "error", name, message });
          return;
        }
        consume();
        if (done) {
          setState({ phase: "done", file: done });
          router.refresh();
        } else setState({ phase: "error", name, message: failure ?? "The server stopped before the file was checked. Please upload it again." });
      };
      xhr.onerror = () => {
        xhrRef.current = null;
        setState({ phase: "error", name, message: "The connection to Batchboard was lost during the upload. Nothing was kept; please try again." });
      };
      xhr.onabort = () => {
        xhrRef.current = null;
        setState({ phase: "idle", notice: `Upload of ${name} cancelled. Nothing was kept.` });
      };

      const form = new FormData();
      // The endpoint (or a CSV's mapping) goes first: the server checks it before it reads the file.
      if (csv) {
        form.append("format", "csv");
        form.append("mapping", JSON.stringify(csv.mapping));
        if (csv.templateId) form.append("templateId", csv.templateId);
        if (csv.encoding) form.append("encoding", csv.encoding);
      } else form.append("endpoint", endpoint);
      form.append("file", file, file.name);
      xhr.open("POST", target ? `/api/uploads?connection=${encodeURIComponent(target.id)}` : "/api/uploads");
      xhr.send(form);
      setState({ phase: "sending", name, size, loaded: 0 });
    },
    [endpoint, limits.maxFileBytes, target, router],
  );

  const busy = state.phase === "sending" || state.phase === "converting" || state.phase === "checking" || state.phase === "storing" || state.phase === "reading";

  /** Reads a CSV's start on the server (encoding, delimiter, header, first rows) for the mapping step. */
  const readCsv = useCallback(async (file: File, encoding: string) => {
    setState({ phase: "reading", name: file.name });
    try {
      const { head, truncated } = await readHead(file);
      const form = new FormData();
      form.append("head", head, "head.csv");
      form.append("truncated", truncated ? "1" : "0");
      if (encoding) form.append("encoding", encoding);
      const r = await previewCsvAction(form);
      if (r.ok) setState({ phase: "mapping", file, preview: r.data, encoding });
      else setState({ phase: "error", name: file.name, message: r.message });
    } catch {
      setState({ phase: "error", name: file.name, message: `Could not read ${file.name}. Please try again.` });
    }
  }, []);

  const pick = (files: FileList | null) => {
    const f = files?.[0];
    if (f && !busy) {
      if (isCsv(f)) {
        if (f.size > limits.maxFileBytes) start(f); // refused with the size message
        else void readCsv(f, "");
      } else start(f);
    }
    if (inputRef.current) inputRef.current.value = "";
  };

  const targetSelect =
    targets.length > 0 ? (
      <Field label="Check for" name="target" hint="The provider whose limits the requests must meet. Any provider: the loosest limits.">
        <Select name="target" value={targetId} onChange={(e) => chooseTarget(e.target.value)} disabled={busy}>
          <option value="">Any provider</option>
          {targets.map((t) => (
            <option key={t.id} value={t.id}>
              {t.name} ({t.label})
            </option>
          ))}
        </Select>
      </Field>
    ) : null;

  if (state.phase === "mapping") {
    return (
      <Card className="mb-8 overflow-hidden">
        <CardHeader title="Map the CSV's columns to requests" description="Each row becomes one request. Problems are reported by row and column before anything is stored." />
        <CsvMappingStep
          // A new form when the file or its reading changes, not while it is edited.
          key={`${state.file.name}-${state.file.size}-${state.preview.encoding}-${templatesLoaded}`}
          file={state.file}
          preview={state.preview}
          encoding={state.encoding}
          onEncoding={(enc) => void readCsv(state.file, enc)}
          templates={templates}
          initialTemplateId={initialTemplateId}
          canSave
          onTemplateSaved={() => void loadTemplates()}
          target={targetSelect}
          onUpload={(mapping, templateId) => start(state.file, { mapping, templateId, encoding: state.encoding || undefined })}
          onCancel={() => setState({ phase: "idle" })}
        />
      </Card>
    );
  }

  return (
    <Card className="mb-8">
      <CardHeader
        title="Upload a batch file"
        description={
          <>
            JSONL (one request per line) or CSV (one request per row, mapped on the next step). Up to {formatCount(limits.maxRequests)} requests, {formatBytes(limits.maxFileBytes)} per file and{" "}
            {formatBytes(limits.maxLineBytes)} per line{target ? <> ({target.label}{target.fileNameRule ? `; ${target.fileNameRule}` : ""})</> : null}.
          </>
        }
      />
      <div className="grid gap-5 p-5 md:grid-cols-[16rem_1fr]">
        <div className="space-y-4">
          {targetSelect}
          <Field label="Endpoint" name="endpoint" hint={<>For JSONL: every line&apos;s <code className="font-mono">url</code> must be this endpoint. A CSV chooses its own.</>}>
            <Select name="endpoint" value={endpoint} onChange={(e) => setEndpoint(e.target.value)} disabled={busy}>
              {endpoints.map((e) => (
                <option key={e} value={e}>
                  {e}
                </option>
              ))}
            </Select>
          </Field>
          <details className="text-xs text-slate-500">
            <summary className="cursor-pointer font-medium text-slate-600 hover:text-slate-900">What a line looks like</summary>
            <pre className="mt-2 overflow-x-auto rounded-md bg-slate-900 p-3 font-mono text-[11px] leading-relaxed text-slate-100">
              {sampleLine(endpoint)}
            </pre>
          </details>
        </div>

        <div className="flex min-w-0 flex-col gap-3">
          {state.phase === "idle" || state.phase === "error" ? (
            <>
              <label
                htmlFor="file-input"
                onDragOver={(e) => {
                  e.preventDefault();
                  setDragging(true);
                }}
                onDragLeave={() => setDragging(false)}
                onDrop={(e) => {
                  e.preventDefault();
                  setDragging(false);
                  pick(e.dataTransfer.files);
                }}
                className={cn(
                  "flex min-h-40 flex-1 cursor-pointer flex-col items-center justify-center rounded-lg border-2 border-dashed px-6 py-8 text-center transition-colors",
                  dragging ? "border-brand-500 bg-brand-50" : "border-slate-300 bg-slate-50/60 hover:border-slate-400 hover:bg-slate-50",
                )}
              >
                <UploadIcon />
                <span className="mt-3 text-sm font-medium text-slate-900">
                  Drop a <span className="font-mono">.jsonl</span> or <span className="font-mono">.csv</span> file here, or{" "}
                  <span className="text-brand-600 underline-offset-2 hover:underline">choose one</span>
                </span>
                <span className="mt-1 text-xs text-slate-500">
                  It is checked line by line (or row by row) before anything is stored. A CSV may be UTF-8 or GB18030, comma, semicolon or tab separated.
                </span>
                {startTemplate && (
                  <span className="mt-2 rounded-full bg-brand-50 px-3 py-1 text-xs font-medium text-brand-700 ring-1 ring-inset ring-brand-200">
                    A CSV will start from the template “{startTemplate.name}”
                  </span>
                )}
                <input
                  ref={inputRef}
                  id="file-input"
                  type="file"
                  accept=".jsonl,.ndjson,.json,.txt,.csv,.tsv,application/jsonl,application/x-ndjson,text/csv"
                  className="sr-only"
                  onChange={(e) => pick(e.target.files)}
                />
              </label>
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
            <Outcome file={state.file} onAgain={() => setState({ phase: "idle" })} />
          ) : state.phase === "reading" ? (
            <div className="flex min-h-40 flex-col items-center justify-center rounded-lg bg-slate-50 px-6 py-6 text-sm text-slate-600 ring-1 ring-inset ring-slate-200" role="status">
              Reading the columns of {state.name}…
            </div>
          ) : (
            <Progress state={state} onCancel={() => xhrRef.current?.abort()} />
          )}
        </div>
      </div>
    </Card>
  );
}

function Progress({ state, onCancel }: { state: Extract<State, { phase: "sending" | "converting" | "checking" | "storing" }>; onCancel: () => void }) {
  const step = state.phase === "sending" ? 0 : state.phase === "checking" || state.phase === "converting" ? 1 : 2;
  let fraction: number;
  let detail: string;
  if (state.phase === "sending") {
    fraction = state.size ? state.loaded / state.size : 0;
    detail = `Sending ${formatBytes(state.loaded)} of ${formatBytes(state.size)}`;
  } else if (state.phase === "converting") {
    fraction = state.size ? state.bytes / state.size : 0;
    detail = `Converting rows to requests: ${plural(state.rows, "row")} read`;
  } else if (state.phase === "checking") {
    fraction = state.size ? state.bytes / state.size : 0;
    detail = `Checking: ${plural(state.lines, "line")} checked`;
  } else {
    fraction = state.total ? state.stored / state.total : 0;
    detail = `Saving requests: ${formatCount(state.stored)} of ${formatCount(state.total)}`;
  }
  const pct = Math.min(100, Math.round(fraction * 100));
  return (
    <div className="flex h-full min-h-40 flex-col justify-center rounded-lg bg-slate-50 px-6 py-6 ring-1 ring-inset ring-slate-200" aria-live="polite">
      <div className="flex items-center justify-between gap-4">
        <p className="truncate text-sm font-medium text-slate-900" title={state.name}>
          {state.name} <span className="font-normal text-slate-500">· {formatBytes(state.size)}</span>
        </p>
        <Button variant="secondary" size="sm" onClick={onCancel}>
          Cancel
        </Button>
      </div>
      <ol className="mt-4 flex items-center gap-2 text-xs font-medium">
        {steps.map((s, i) => (
          <li key={s} className="flex items-center gap-2">
            <span
              className={cn(
                "grid h-5 w-5 place-items-center rounded-full text-[10px]",
                i < step ? "bg-emerald-500 text-white" : i === step ? "bg-brand-600 text-white" : "bg-slate-200 text-slate-500",
              )}
            >
              {i < step ? "✓" : i + 1}
            </span>
            <span className={i === step ? "text-slate-900" : "text-slate-500"}>{s}</span>
            {i < steps.length - 1 && <span className="mx-1 h-px w-6 bg-slate-300" aria-hidden />}
          </li>
        ))}
      </ol>
      <div
        // A new bar per step, so it starts from zero instead of sliding back from 100%.
        key={step}
        className="mt-4 h-2 overflow-hidden rounded-full bg-slate-200"
        role="progressbar"
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={pct}
        aria-label={detail}
      >
        <div className="h-full rounded-full bg-brand-600 transition-[width] duration-200" style={{ width: `${pct}%` }} />
      </div>
      <p className="mt-2 flex justify-between text-xs tabular-nums text-slate-600">
        <span>{detail}</span>
        <span>{pct}%</span>
      </p>
    </div>
  );
}

function Outcome({ file, onAgain }: { file: ImportedFile; onAgain: () => void }) {
  if (file.status === "valid") {
    return (
      <div className="rounded-lg bg-emerald-50 px-5 py-5 ring-1 ring-inset ring-emerald-200" role="status">
        <div className="flex items-start gap-3">
          <span className="mt-0.5 grid h-6 w-6 shrink-0 place-items-center rounded-full bg-emerald-500 text-sm text-white" aria-hidden>
            ✓
          </span>
          <div className="min-w-0">
            <p className="text-sm font-semibold text-emerald-900">Valid: {plural(file.requestCount, "request")}</p>
            <p className="mt-0.5 truncate text-sm text-emerald-800" title={file.name}>
              {file.name} · {file.csv ? `${plural(file.csv.rows, "row")}, ${formatBytes(file.csv.bytes)} of CSV` : formatBytes(file.bytes)} · {file.models.length === 1 ? file.models[0] : plural(file.models.length, "model")} ·{" "}
              <span className="font-mono text-xs">{file.endpoint}</span>
            </p>
          </div>
        </div>
        <div className="mt-4 flex flex-wrap gap-2">
          <Link href={`/batches/new?file=${encodeURIComponent(file.id)}`} className={buttonClass()}>
            Launch a batch
          </Link>
          <Link href={`/files/${encodeURIComponent(file.id)}`} className={buttonClass("secondary")}>
            View requests
          </Link>
          <Button variant="ghost" onClick={onAgain}>
            Upload another
          </Button>
        </div>
      </div>
    );
  }
  if (file.status === "invalid") {
    return (
      <div className="overflow-hidden rounded-lg ring-1 ring-red-200" role="alert">
        <div className="flex flex-wrap items-start justify-between gap-3 bg-red-50 px-4 py-3">
          <div className="min-w-0">
            <p className="text-sm font-semibold text-red-900">
              {file.name} has {plural(file.problemCount, "problem")}
            </p>
            <p className="mt-0.5 text-sm text-red-800">
              Nothing was stored from it. Fix these {file.format === "csv" ? "rows" : "lines"} and upload the file again.
            </p>
          </div>
          <Button variant="secondary" size="sm" onClick={onAgain}>
            Upload a fixed file
          </Button>
        </div>
        <div className="bg-white">
          <ProblemsTable problems={file.problems} total={file.problemCount} csv={file.format === "csv"} />
        </div>
      </div>
    );
  }
  return (
    <div className="rounded-lg bg-red-50 px-4 py-4 text-sm text-red-800 ring-1 ring-inset ring-red-200" role="alert">
      Storing {file.name} failed on our side. Please upload it again.
      <Button variant="secondary" size="sm" className="ml-3" onClick={onAgain}>
        Try again
      </Button>
    </div>
  );
}

function sampleLine(endpoint: string) {
  const body =
    endpoint === "/v1/embeddings"
      ? { model: "text-embedding-3-small", input: "The text" }
      : endpoint === "/v1/moderations"
        ? { model: "omni-moderation-latest", input: "The text" }
        : endpoint === "/v1/responses"
        ? { model: "gpt-4o-mini", input: "Hello!" }
        : endpoint === "/v1/completions"
          ? { model: "gpt-3.5-turbo-instruct", prompt: "Hello!" }
          : { model: "gpt-4o-mini", messages: [{ role: "user", content: "Hello!" }] };
  return JSON.stringify({ custom_id: "request-1", method: "POST", url: endpoint, body }, null, 1).replace(/\n\s*/g, " ");
}

function UploadIcon() {
  return (
    <svg aria-hidden viewBox="0 0 24 24" className="h-9 w-9 text-slate-400" fill="none" stroke="currentColor" strokeWidth={1.5}>
      <path strokeLinecap="round" strokeLinejoin="round" d="M12 16V4m0 0-4 4m4-4 4 4M4 16v2a2 2 0 0 0 2 2h12a2 2 0 0 0 2-2v-2" />
    </svg>
  );
}
