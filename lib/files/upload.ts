// The upload of a JSONL batch file, independent of Next: a standard Request in (multipart with the
// fields "endpoint" then "file"), a Response out. The body is parsed as a stream with busboy and
// written to a temp file under DATA_DIR/uploads while it is counted and hashed, so a 200 MB upload
// costs a few MB of memory; request.formData() would buffer all of it. Once the file is in, the
// answer streams NDJSON progress while the file is checked and its requests stored:
//   {"type":"received","bytes":N,"sha256":"..."}
//   {"type":"progress","phase":"checking","lines":N,"bytes":B}  (repeated)
//   {"type":"progress","phase":"storing","stored":N,"total":M}  (repeated)
//   {"type":"done","file":{id,name,status,requestCount,problemCount,problems,...}}
//   or {"type":"error","message":"..."}
// Client errors answer 4xx JSON {error} (an SDK would re-send the whole file on a 5xx).
import "server-only";
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { Readable, Transform } from "node:stream";
import { pipeline } from "node:stream/promises";
import type { ReadableStream as NodeReadableStream } from "node:stream/web";
import busboy from "busboy";
import { db } from "@/lib/db/client";
import { env } from "@/lib/env";
import { toUserMessage } from "@/lib/errors";
import { profiles, uploadLimits, uploadLimitsFor } from "@/lib/providers/registry";
import { effectiveProfile, readConnectionLimits } from "@/lib/providers/connections.limits";
import { uploadEndpoints } from "./endpoints";
import { formatBytes } from "./format";
import { importJsonlFile } from "./store";
import type { UploadEvent } from "./types";
import type { ValidationLimits } from "./validate-jsonl";

export type { UploadEvent };
export { uploadEndpoints };

export interface UploadContext {
  teamId: string;
  userId: string | null;
}

export interface UploadOptions {
  /** Fixed limits (tests); otherwise those of the connection named by `?connection=`, or the loosest. */
  limits?: ValidationLimits;
  /** Temp files go to `${dataDir}/uploads`; env().DATA_DIR by default. */
  dataDir?: string;
}

/** Room for the multipart framing and the endpoint field around the file itself. */
const MULTIPART_SLACK = 64 * 1024;

export function jsonError(status: number, error: string): Response {
  return Response.json({ error }, { status, headers: { "cache-control": "no-store" } });
}

export function tooLargeMessage(limit: number) {
  return `The file is over the ${formatBytes(limit)} limit for one batch file. Split it into smaller files.`;
}

/** A target connection's limits: the file is checked as that provider will check it. */
async function limitsForTarget(
  teamId: string,
  connectionId: string,
): Promise<{ limits: ValidationLimits; fileName?: { pattern: RegExp; rule: string }; endpoints: string[] } | undefined> {
  const prisma = await db();
  const c = await prisma.providerConnection.findFirst({ where: { id: connectionId, teamId }, select: { id: true, kind: true, name: true, limits: true } });
  if (!c || !profiles[c.kind]) return undefined;
  // A custom connection's own limits, when the team set them (a stored value that no longer parses is logged and ignored).
  const p = effectiveProfile(c.kind, readConnectionLimits(c));
  return { limits: { ...uploadLimitsFor(p), label: `${c.name} (${profiles[c.kind].label})` }, fileName: p.limits.fileName, endpoints: p.endpoints };
}

interface Received {
  path: string;
  filename: string;
  endpoint: string;
  bytes: number;
  sha256: string;
}

class UploadRejected extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/**
 * Reads the multipart body into a temp file. Rejects with UploadRejected (a 4xx to answer) as soon
 * as something is wrong, an AbortError when the sender goes away; the temp file never outlives a
 * rejection.
 */
async function receive(
  request: Request,
  limits: ValidationLimits,
  dir: string,
  signal: AbortSignal,
  fileName?: { pattern: RegExp; rule: string; who: string },
  target?: { who: string; endpoints: string[] },
): Promise<Received> {
  const contentType = request.headers.get("content-type") ?? "";
  const endpoints = uploadEndpoints();
  await fs.promises.mkdir(dir, { recursive: true });

  return new Promise<Received>((resolve, reject) => {
    const body = Readable.fromWeb(request.body as NodeReadableStream<Uint8Array>);
    let bb: busboy.Busboy;
    try {
      // One byte over the limit makes busboy stop and emit "limit" (at exactly the limit it would too).
      bb = busboy({ headers: { "content-type": contentType }, limits: { fileSize: limits.maxFileBytes + 1, files: 1, fields: 20, fieldSize: 64 * 1024 } });
    } catch {
      body.destroy();
      reject(new UploadRejected(415, 'Send the file as multipart/form-data with the fields "endpoint" and "file".'));
      return;
    }

    let endpoint: string | undefined;
    let tmp: string | null = null;
    let filename = "";
    let bytes = 0;
    const hash = crypto.createHash("sha256");
    let written: Promise<void> | null = null;
    let settled = false;

    const fail = (err: unknown) => {
      if (settled) return;
      settled = true;
      signal.removeEventListener("abort", onAbort);
      // Stop reading the body at once: for a file over the limit there may be a lot more coming.
      body.unpipe(bb);
      body.destroy();
      bb.destroy();
      const cleanup = written ? written.catch(() => {}) : Promise.resolve();
      void cleanup.then(() => (tmp ? fs.promises.rm(tmp, { force: true }) : undefined)).finally(() => reject(err));
    };
    const onAbort = () => fail(signal.reason ?? new DOMException("The upload was cancelled", "AbortError"));
    if (signal.aborted) return onAbort();
    signal.addEventListener("abort", onAbort, { once: true });

    const checkEndpoint = () => {
      if (!endpoint) throw new UploadRejected(400, `Choose an endpoint for the file (send the "endpoint" field before "file").`);
      if (!endpoints.includes(endpoint)) throw new UploadRejected(400, `Unknown endpoint ${JSON.stringify(endpoint)}: choose one of ${endpoints.join(", ")}.`);
      if (target && !target.endpoints.includes(endpoint)) {
        throw new UploadRejected(400, `${target.who} does not offer ${endpoint}; it offers ${target.endpoints.join(", ")}.`);
      }
    };

    bb.on("field", (name, value) => {
      if (name === "endpoint") endpoint = value.trim();
    });

    bb.on("file", (name, stream, info) => {
      // Destroying busboy on a failure errors every open file stream; that error is already handled.
      stream.on("error", () => {});
      if (name !== "file" || tmp) {
        stream.resume();
        return;
      }
      try {
        checkEndpoint();
      } catch (err) {
        stream.resume();
        return fail(err);
      }
      filename = (info.filename || "upload.jsonl").slice(0, 255);
      if (fileName && !fileName.pattern.test(filename)) {
        stream.resume();
        return fail(new UploadRejected(400, `${fileName.who} needs ${fileName.rule}; "${filename}" is not. Rename the file and upload it again.`));
      }
      tmp = path.join(dir, `${crypto.randomUUID()}.part`);
      // Deferred: busboy still touches the file stream right after emitting "limit".
      stream.on("limit", () => process.nextTick(() => fail(new UploadRejected(413, tooLargeMessage(limits.maxFileBytes)))));
      const counter = new Transform({
        transform(chunk: Buffer, _enc, cb) {
          bytes += chunk.length;
          hash.update(chunk);
          cb(null, chunk);
        },
      });
      written = pipeline(stream, counter, fs.createWriteStream(tmp));
      written.catch(fail);
    });

    bb.on("error", (err) => {
      // A body cut short (the sender closed the tab) surfaces here as "Unexpected end of form".
      fail(signal.aborted ? signal.reason : new UploadRejected(400, `The upload is not a complete multipart form: ${(err as Error).message}.`));
    });
    // The request body errors when the connection drops mid-upload: the same as a cancel.
    body.on("error", () => fail(signal.aborted ? signal.reason : new DOMException("The upload was interrupted", "AbortError")));

    bb.on("close", () => {
      void (async () => {
        try {
          if (written) await written;
          if (settled) return;
          if (!tmp) {
            checkEndpoint();
            throw new UploadRejected(400, 'The upload has no file: send it in the "file" field.');
          }
          settled = true;
          signal.removeEventListener("abort", onAbort);
          resolve({ path: tmp, filename, endpoint: endpoint!, bytes, sha256: hash.digest("hex") });
        } catch (err) {
          fail(err);
        }
      })();
    });

    body.pipe(bb);
  });
}

/**
 * Receives, validates and stores an upload for a team. Nothing of an upload the sender abandons
 * remains (no temp file, no InputFile row); the temp file is deleted in every case, since the
 * database rows are the source of truth.
 */
export async function handleUpload(request: Request, ctx: UploadContext, opts: UploadOptions = {}): Promise<Response> {
  const dir = path.join(opts.dataDir ?? env().DATA_DIR, "uploads");
  let limits: ValidationLimits = opts.limits ?? uploadLimits;
  let fileName: { pattern: RegExp; rule: string; who: string } | undefined;
  let checkFor: { who: string; endpoints: string[] } | undefined;
  const target = new URL(request.url).searchParams.get("connection");
  if (target && !opts.limits) {
    const t = await limitsForTarget(ctx.teamId, target);
    if (!t) return jsonError(404, "That connection was not found.");
    limits = t.limits;
    if (t.fileName) fileName = { ...t.fileName, who: t.limits.label! };
    checkFor = { who: t.limits.label!, endpoints: t.endpoints };
  }

  if (!(request.headers.get("content-type") ?? "").toLowerCase().startsWith("multipart/form-data")) {
    return jsonError(415, 'Send the file as multipart/form-data with the fields "endpoint" and "file".');
  }
  // Refuse before reading a byte when the sender announces more than the limit allows.
  const announced = Number(request.headers.get("content-length") ?? NaN);
  if (Number.isFinite(announced) && announced > limits.maxFileBytes + MULTIPART_SLACK) {
    return jsonError(413, tooLargeMessage(limits.maxFileBytes));
  }
  if (!request.body) return jsonError(400, 'The upload has no file: send it in the "file" field.');

  const abort = new AbortController();
  const onRequestAbort = () => abort.abort(request.signal.reason);
  if (request.signal.aborted) onRequestAbort();
  else request.signal.addEventListener("abort", onRequestAbort, { once: true });

  let received: Received;
  try {
    received = await receive(request, limits, dir, abort.signal, fileName, checkFor);
  } catch (err) {
    request.signal.removeEventListener("abort", onRequestAbort);
    if (err instanceof UploadRejected) return jsonError(err.status, err.message);
    if (abort.signal.aborted || (err as Error)?.name === "AbortError") {
      // Nobody is listening any more; the status is for logs.
      return jsonError(499, "The upload was cancelled.");
    }
    return jsonError(500, toUserMessage(err));
  }

  const encoder = new TextEncoder();
  const stream = new ReadableStream<Uint8Array>({
    start(controller) {
      let open = true;
      const send = (e: UploadEvent) => {
        if (!open) return;
        try {
          controller.enqueue(encoder.encode(JSON.stringify(e) + "\n"));
        } catch {
          open = false;
        }
      };
      void (async () => {
        try {
          send({ type: "received", bytes: received.bytes, sha256: received.sha256 });
          const prisma = await db();
          const file = await importJsonlFile(prisma, {
            path: received.path,
            name: received.filename,
            teamId: ctx.teamId,
            userId: ctx.userId,
            endpoint: received.endpoint,
            limits,
            sha256: received.sha256,
            signal: abort.signal,
            onProgress: (p) => send({ type: "progress", ...p }),
          });
          send({ type: "done", file });
        } catch (err) {
          if (!abort.signal.aborted) send({ type: "error", message: toUserMessage(err) });
        } finally {
          request.signal.removeEventListener("abort", onRequestAbort);
          await fs.promises.rm(received.path, { force: true }).catch(() => {});
          if (open) {
            open = false;
            try {
              controller.close();
            } catch {
              // already cancelled by the reader
            }
          }
        }
      })();
    },
    cancel(reason) {
      // The reader went away (tab closed, Cancel pressed): stop and undo this upload.
      abort.abort(reason ?? new DOMException("The upload was cancelled", "AbortError"));
    },
  });

  return new Response(stream, {
    status: 200,
    headers: {
      "content-type": "application/x-ndjson; charset=utf-8",
      // no-transform keeps compression from holding the small progress lines back.
      "cache-control": "no-store, no-transform",
      "x-accel-buffering": "no",
    },
  });
}
