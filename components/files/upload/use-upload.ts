"use client";
// The upload's state machine and its wiring. A file is sent with XMLHttpRequest (fetch cannot report
// upload progress), then checked and saved by /api/uploads, whose NDJSON answer is read as it arrives
// (ndjson.ts): sending → (converting, for a CSV) checking → storing → done, or error. A CSV first goes
// to "reading" (its start sent for a preview) and "mapping" (the panel shows the mapping step).
// Cancel aborts the request; the server then keeps nothing of it. Leaving the page aborts it too.
import { useRouter } from "next/navigation";
import { useCallback, useEffect, useRef, useState } from "react";
import { useTranslations } from "next-intl";
import { formatBytes } from "@/lib/files/format";
import type { ImportedFile, UploadEvent } from "@/lib/files/types";
import type { UploadLimitsView, UploadTarget } from "@/lib/files/upload-targets";
import type { CsvMapping } from "@/lib/csv/mapping";
import type { HeadPreview } from "@/lib/csv/types";
import { previewCsvAction } from "@/lib/csv/preview.action";
import { ndjsonReader } from "./ndjson";
import { readHead } from "./read-head";

export type UploadState =
  | { phase: "idle"; notice?: string }
  | { phase: "reading"; name: string }
  | { phase: "mapping"; file: File; preview: HeadPreview; encoding: string }
  | { phase: "sending"; name: string; size: number; loaded: number }
  | { phase: "converting"; name: string; size: number; rows: number; bytes: number }
  | { phase: "checking"; name: string; size: number; lines: number; bytes: number }
  | { phase: "storing"; name: string; size: number; stored: number; total: number }
  | { phase: "done"; file: ImportedFile }
  | { phase: "error"; name?: string; message: string };

/** The phases while a request is under way, shown as progress with a Cancel button. */
export type InFlight = Extract<UploadState, { phase: "sending" | "converting" | "checking" | "storing" }>;

/** A CSV is sent with the mapping that turns its rows into requests. */
export interface CsvUpload {
  mapping: CsvMapping;
  templateId?: string;
  encoding?: string;
}

/** Once the whole file is sent, the server first converts it (a CSV) or checks it (JSONL). */
function serverReading(name: string, size: number, csv: boolean): InFlight {
  return csv ? { phase: "converting", name, size, rows: 0, bytes: 0 } : { phase: "checking", name, size, lines: 0, bytes: 0 };
}

/** The state a progress event of the answer moves to. */
function progressState(e: Extract<UploadEvent, { type: "received" | "progress" }>, name: string, size: number, csv: boolean): InFlight {
  if (e.type === "received") return serverReading(name, size, csv);
  if (e.phase === "converting") return { phase: "converting", name, size, rows: e.rows, bytes: e.bytes };
  if (e.phase === "checking") return { phase: "checking", name, size, lines: e.lines, bytes: e.bytes };
  return { phase: "storing", name, size, stored: e.stored, total: e.total };
}

export function useUpload({ endpoint, limits, target }: { endpoint: string; limits: UploadLimitsView; target: UploadTarget | undefined }) {
  const router = useRouter();
  const t = useTranslations("upload");
  const [state, setState] = useState<UploadState>({ phase: "idle" });
  const xhrRef = useRef<XMLHttpRequest | null>(null);

  useEffect(() => () => xhrRef.current?.abort(), []);

  // The last file sent, for the one-click conversion of a JSON array (sent again with convert).
  const lastRef = useRef<File | null>(null);

  const start = useCallback(
    (file: File, csv?: CsvUpload, opts: { convert?: "json-array" } = {}) => {
      lastRef.current = file;
      // Where the target splits, a file over one batch's size is launched as a job of parts: the job's limit holds.
      if (file.size > (limits.job ?? limits).maxFileBytes) {
        setState({
          phase: "error",
          name: file.name,
          message: limits.job
            ? t("tooLargeJob", { name: file.name, size: formatBytes(file.size), limit: formatBytes(limits.job.maxFileBytes) })
            : target
              ? t("tooLargeFor", { name: file.name, size: formatBytes(file.size), limit: formatBytes(limits.maxFileBytes), label: target.label })
              : t("tooLarge", { name: file.name, size: formatBytes(file.size), limit: formatBytes(limits.maxFileBytes) }),
        });
        return;
      }
      const name = file.name;
      const size = file.size;
      const xhr = new XMLHttpRequest();
      xhrRef.current = xhr;
      const read = ndjsonReader<UploadEvent>();
      let done: ImportedFile | null = null;
      let failure: string | null = null;

      // Handles the complete NDJSON lines that have arrived so far.
      const consume = () => {
        if (xhr.status !== 200) return;
        for (const e of read(xhr.responseText)) {
          if (e.type === "done") done = e.file;
          else if (e.type === "error") failure = e.message;
          else setState(progressState(e, name, size, !!csv));
        }
      };

      xhr.upload.onprogress = (e) => setState({ phase: "sending", name, size, loaded: e.loaded });
      xhr.upload.onload = () => setState(serverReading(name, size, !!csv));
      xhr.onprogress = consume;
      xhr.onload = () => {
        xhrRef.current = null;
        if (xhr.status !== 200) {
          let message = t("httpFailed", { status: xhr.status });
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
        } else setState({ phase: "error", name, message: failure ?? t("serverStopped") });
      };
      xhr.onerror = () => {
        xhrRef.current = null;
        setState({ phase: "error", name, message: t("connectionLost") });
      };
      xhr.onabort = () => {
        xhrRef.current = null;
        setState({ phase: "idle", notice: t("cancelled", { name }) });
      };

      const form = new FormData();
      // The endpoint (or a CSV's mapping) goes first: the server checks it before it reads the file.
      if (csv) {
        form.append("format", "csv");
        form.append("mapping", JSON.stringify(csv.mapping));
        if (csv.templateId) form.append("templateId", csv.templateId);
        if (csv.encoding) form.append("encoding", csv.encoding);
      } else {
        form.append("endpoint", endpoint);
        if (opts.convert) form.append("convert", opts.convert);
      }
      form.append("file", file, file.name);
      xhr.open("POST", target ? `/api/uploads?connection=${encodeURIComponent(target.id)}` : "/api/uploads");
      xhr.send(form);
      setState({ phase: "sending", name, size, loaded: 0 });
    },
    [endpoint, limits, target, router, t],
  );

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
      setState({ phase: "error", name: file.name, message: t("readFailed", { name: file.name }) });
    }
  }, [t]);

  const cancel = useCallback(() => xhrRef.current?.abort(), []);
  /** Sends the last file again, converted from a JSON array to JSONL on the server. */
  const convertLast = useCallback(() => {
    if (lastRef.current) start(lastRef.current, undefined, { convert: "json-array" });
  }, [start]);
  const reset = useCallback(() => setState({ phase: "idle" }), []);
  const busy = state.phase === "sending" || state.phase === "converting" || state.phase === "checking" || state.phase === "storing" || state.phase === "reading";

  return { state, busy, start, readCsv, cancel, reset, convertLast };
}
