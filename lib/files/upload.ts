// The upload of a batch file, independent of Next: a standard Request in (multipart with the
// fields "endpoint" then "file"), a Response out. A CSV (a .csv/.tsv name, or a "format" field of
// "csv") comes with its mapping instead of the endpoint: a "mapping" field (the JSON of
// lib/csv/mapping.ts) or a "templateId" of the team's saved templates (also as ?template=), and
// optionally "encoding"; it is converted to JSONL on the server (lib/csv/import.ts). The body is parsed as a stream with busboy and
// written to a temp file under DATA_DIR/uploads while it is counted and hashed, so a 200 MB upload
// costs a few MB of memory; request.formData() would buffer all of it. Once the file is in, the
// answer streams NDJSON progress while the file is checked and its requests stored:
//   {"type":"received","bytes":N,"sha256":"..."}
//   {"type":"progress","phase":"converting","rows":N,"bytes":B}  (repeated; CSV only)
//   {"type":"progress","phase":"checking","lines":N,"bytes":B}  (repeated)
//   {"type":"progress","phase":"storing","stored":N,"total":M}  (repeated)
//   {"type":"done","file":{id,name,status,requestCount,problemCount,problems,...}}
//   or {"type":"error","message":"..."}
// A "convert" field of "json-array" turns a JSON array of requests into JSONL first (json-array.ts).
// The same bytes the team already stored answer at once with that file, marked duplicate
// (duplicates.ts; not for the OpenAI-style API, whose scripts expect a new file each time).
// Client errors answer 4xx JSON {error} (an SDK would re-send the whole file on a 5xx).
// Limits of uploads (lib/files/quota.ts): a user already running MAX_UPLOADS_PER_USER uploads gets
// 429, and an upload that would take the team past TEAM_STORAGE_QUOTA_MB gets 413, before its body
// is read when its Content-Length says so, else as soon as its bytes cross the quota. The InputFile
// row ("uploading") is reserved when the file part starts, so the count holds across instances.
import "server-only";
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { Readable, Transform } from "node:stream";
import { pipeline } from "node:stream/promises";
import type { ReadableStream as NodeReadableStream } from "node:stream/web";
import busboy from "busboy";
import { audit, requestAddress } from "@/lib/audit";
import { db } from "@/lib/db/client";
import type { Prisma } from "@/lib/generated/prisma/client";
import { log } from "@/lib/log";
import { env, settings } from "@/lib/env";
import { toUserMessage, UserError } from "@/lib/errors";
import { anyProviderJobLimits, jobLimitsFor, profiles, uploadLimits, uploadLimitsFor } from "@/lib/providers/profiles";
import { connectionLabel } from "@/lib/providers/profile";
import { effectiveProfile } from "@/lib/providers/connections.limits";
import { readConnectionLimits } from "@/lib/providers/connections.limits.read";
import { uploadEndpoints } from "./endpoints";
import { formatBytes } from "./format";
import { importJsonlFile, type ImportProgress } from "./store";
import { checkUploadsInProgress, quotaError, reserveUpload, storedBytes, UploadLimitError } from "./quota";
import { csvRowMeta, importCsvFile, isCsvName } from "@/lib/csv/import";
import { csvMapping, type CsvMapping } from "@/lib/csv/mapping";
import type { CsvEncoding } from "@/lib/csv/decode";
import { getTemplate } from "@/lib/templates/templates";
import { storableText } from "@/lib/storable";
import { assertCleanParams } from "@/lib/http/params";
import { uploadError } from "@/lib/http/respond";
import { countSoon } from "@/lib/tokens/file";
import { preloadTokenizer } from "@/lib/tokens/off-thread";
import type { ImportedFile, UploadEvent } from "./types";
import type { Db } from "@/lib/db/client";
import { loadConnection } from "@/lib/providers/adapters";
import { modelWarnings } from "@/lib/providers/models";
import { fileLimitsOf, MAX_KEPT_PROBLEMS } from "./validate-jsonl";
import { cleanUpUnstored } from "./delete";
import { findDuplicate, replaceUnstored } from "./duplicates";
import { convertJsonArray, JSON_ARRAY_CODE } from "./json-array";
import { keepAllProblems } from "./problems";
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
  /** The team's storage quota in bytes, 0 for none; TEAM_STORAGE_QUOTA_MB by default. */
  quotaBytes?: number;
  /** Uploads one user may run at once, 0 for no limit; MAX_UPLOADS_PER_USER by default. */
  maxUploadsPerUser?: number;
  /** Count a valid file's tokens for the estimate once it is stored, without waiting (default true). */
  countTokens?: boolean;
  /**
   * OpenAI's file upload (the API, lib/api): a "purpose" field that must be "batch", in any order
   * with the file, and no "endpoint" field: the endpoint is the url of the file's first request.
   */
  openaiForm?: boolean;
}

const MB = 1024 * 1024;

/** Room for the multipart framing and the endpoint field around the file itself. */
const MULTIPART_SLACK = 64 * 1024;
/** The largest form field: a CSV mapping's texts are capped at TEMPLATE_MAX_BYTES each, and JSON escapes may double them. */
const MAX_FIELD_BYTES = 2 * 1024 * 1024;

export function tooLargeMessage(limits: ValidationLimits) {
  if (limits.job) return `The file is over the ${formatBytes(limits.job.maxFileBytes)} limit for a file launched as a job of parts. Split it into smaller files.`;
  return `The file is over the ${formatBytes(limits.maxFileBytes)} limit for one batch file. Split it into smaller files.`;
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
  // Over one batch's request count or size, a file is launched as a job of parts where the provider can split it.
  const p = effectiveProfile(c.kind, readConnectionLimits(c));
  const perBatch = uploadLimitsFor(p);
  return { limits: { ...perBatch, job: jobLimitsFor(perBatch, p.capabilities.split), label: connectionLabel(c.name, profiles[c.kind].label) }, fileName: p.limits.fileName, endpoints: p.endpoints };
}

interface Received {
  path: string;
  bytes: number;
  sha256: string;
}

/** The file part of an upload as it starts, before a byte of it is read. */
interface FileStart {
  filename: string;
  csv: boolean;
  /** The "endpoint" field (a JSONL's); a CSV's comes from its mapping. */
  endpoint: string;
  /** The fields that say how to read a CSV: mapping, templateId, encoding. */
  fields: Record<string, string>;
}

interface ReceiveOptions {
  limits: ValidationLimits;
  dir: string;
  signal: AbortSignal;
  fileName?: { pattern: RegExp; rule: string; who: string };
  target?: { who: string; endpoints: string[] };
  preset?: Record<string, string>;
  /** OpenAI's form: no endpoint field, a "purpose" field. */
  openaiForm?: boolean;
  /** Runs when the file part starts; throwing refuses the upload before the file is read. */
  onFile(file: FileStart): Promise<void>;
  /** Bytes the file may hold before the team passes its quota. */
  room: number;
  overQuota(): Error;
}

const CSV_ENCODINGS: CsvEncoding[] = ["utf-8", "gb18030", "utf-16le", "utf-16be"];

/** What a body that is not a multipart form is told: the fields of the browser's form, or of OpenAI's. */
const multipartNeeded = (opts: { openaiForm?: boolean }) =>
  opts.openaiForm ? 'Send the file as multipart/form-data with the fields "purpose" (batch) and "file", as OpenAI\'s files API takes it.' : 'Send the file as multipart/form-data with the fields "endpoint" and "file".';

class UploadRejected extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/** What a CSV needs before its bytes are read: a mapping or a template, and a known encoding if one is named. */
function checkCsvFields(fields: Record<string, string>) {
  // The template's id is looked up (PostgreSQL refuses a NUL); the mapping's texts are checked by its schema.
  if (fields.templateId?.includes("\u0000")) throw new UploadRejected(400, 'The "templateId" field holds a NUL character, which no template id has.');
  if (!fields.mapping && !fields.templateId) {
    throw new UploadRejected(400, 'A CSV needs its mapping: send the "mapping" field (or a saved template\'s "templateId") before "file".');
  }
  if (fields.encoding && !CSV_ENCODINGS.includes(fields.encoding as CsvEncoding)) {
    throw new UploadRejected(400, `Unknown encoding ${JSON.stringify(fields.encoding)}: choose one of ${CSV_ENCODINGS.join(", ")}.`);
  }
}

/** The mapping of a CSV upload: the one sent (checked by its schema), or the team's saved template. */
async function csvMappingOf(teamId: string, fields: { mapping?: string; templateId?: string }): Promise<{ mapping: CsvMapping; templateId?: string }> {
  let templateId: string | undefined;
  let mapping: CsvMapping | undefined;
  if (fields.templateId) {
    try {
      const t = await getTemplate(await db(), teamId, fields.templateId);
      templateId = t.id;
      mapping = t.mapping;
    } catch (err) {
      throw new UploadRejected(fields.mapping ? 400 : 404, toUserMessage(err));
    }
  }
  if (fields.mapping) {
    let json: unknown;
    try {
      json = JSON.parse(fields.mapping);
    } catch {
      throw new UploadRejected(400, 'The "mapping" field is not valid JSON.');
    }
    const r = csvMapping.safeParse(json);
    if (!r.success) {
      const issue = r.error.issues[0];
      throw new UploadRejected(400, `The mapping is not valid: ${issue.path.length ? `${issue.path.join(".")}: ` : ""}${issue.message.replace(/\.?$/, ".")}`);
    }
    // A template edited before the upload: the file keeps the mapping it used, and the template it started from.
    mapping = r.data;
  }
  return { mapping: mapping!, templateId };
}

/**
 * Reads the multipart body into a temp file. Rejects with UploadRejected (a 4xx to answer) as soon
 * as something is wrong, an AbortError when the sender goes away; the temp file never outlives a
 * rejection.
 */
async function receive(request: Request, opts: ReceiveOptions): Promise<Received> {
  const { limits, dir, signal, fileName, target } = opts;
  const contentType = request.headers.get("content-type") ?? "";
  const endpoints = uploadEndpoints();
  await fs.promises.mkdir(dir, { recursive: true });

  return new Promise<Received>((resolve, reject) => {
    const body = Readable.fromWeb(request.body as NodeReadableStream<Uint8Array>);
    let bb: busboy.Busboy;
    try {
      // One byte over the limit makes busboy stop and emit "limit" (at exactly the limit it would too).
      // Fields are held in memory: at most 10 (the form sends 5) of MAX_FIELD_BYTES each.
      bb = busboy({ headers: { "content-type": contentType }, limits: { fileSize: fileLimitsOf(limits).maxFileBytes + 1, files: 1, fields: 10, fieldSize: MAX_FIELD_BYTES } });
    } catch {
      body.destroy();
      reject(new UploadRejected(415, multipartNeeded(opts)));
      return;
    }

    let endpoint: string | undefined;
    const fields: Record<string, string> = { ...opts.preset };
    let csv = false;
    let tmp: string | null = null;
    let filename = "";
    let bytes = 0;
    const hash = crypto.createHash("sha256");
    let written: Promise<void> | null = null;
    let settled = false;

    // First of all, before anything can destroy busboy: destroying it before the form is complete
    // emits "Unexpected end of form", which without a listener is an uncaughtException.
    bb.on("error", (err) => {
      // A body cut short (the sender closed the tab) surfaces here as "Unexpected end of form".
      fail(signal.aborted ? signal.reason : new UploadRejected(400, `The upload is not a complete multipart form: ${(err as Error).message}.`));
    });
    // The request body errors when the connection drops mid-upload: the same as a cancel.
    body.on("error", () => fail(signal.aborted ? signal.reason : new DOMException("The upload was interrupted", "AbortError")));

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

    const checkEndpoint = () => {
      if (!endpoint) throw new UploadRejected(400, `Choose an endpoint for the file (send the "endpoint" field before "file").`);
      if (!endpoints.includes(endpoint)) throw new UploadRejected(400, `Unknown endpoint ${JSON.stringify(endpoint)}: choose one of ${endpoints.join(", ")}.`);
      if (target && !target.endpoints.includes(endpoint)) {
        throw new UploadRejected(400, `${target.who} does not offer ${endpoint}; it offers ${target.endpoints.join(", ")}.`);
      }
    };

    bb.on("field", (name, value, info) => {
      // busboy cuts a longer value short: a cut mapping would only be "not valid JSON".
      if (info.valueTruncated) return fail(new UploadRejected(413, `The ${JSON.stringify(name.slice(0, 40))} field is over the ${formatBytes(MAX_FIELD_BYTES)} limit for a form field.`));
      if (name === "endpoint") endpoint = value.trim();
      else if (name === "mapping" || name === "templateId" || name === "encoding" || name === "format" || name === "purpose" || name === "convert") fields[name] = value.trim();
    });

    bb.on("file", (name, stream, info) => {
      // Destroying busboy on a failure errors every open file stream; that error is already handled.
      stream.on("error", () => {});
      if (name !== "file" || tmp) {
        stream.resume();
        return;
      }
      csv = fields.format === "csv" || isCsvName(info.filename ?? "");
      try {
        // A CSV's endpoint is its mapping's, checked once the mapping is known.
        if (csv) checkCsvFields(fields);
        else if (!opts.openaiForm || endpoint) checkEndpoint();
      } catch (err) {
        stream.resume();
        return fail(err);
      }
      // A name is stored as text: a NUL in it would fail the insert.
      filename = storableText((info.filename || (csv ? "upload.csv" : "upload.jsonl")).slice(0, 255));
      // A JSON array converted on the way in is stored as the JSONL it becomes.
      if (!csv && fields.convert === JSON_ARRAY_CODE) filename = `${filename.replace(/\.json$/i, "")}.jsonl`.slice(-255);
      // The provider's file-name rule is for the JSONL it gets, which a launch names itself.
      if (!csv && fileName && !fileName.pattern.test(filename)) {
        stream.resume();
        return fail(new UploadRejected(400, `${fileName.who} needs ${fileName.rule}; "${filename}" is not. Rename the file and upload it again.`));
      }
      tmp = path.join(dir, `${crypto.randomUUID()}.part`);
      // Deferred: busboy still touches the file stream right after emitting "limit".
      stream.on("limit", () => process.nextTick(() => fail(new UploadRejected(413, tooLargeMessage(limits)))));
      const counter = new Transform({
        transform(chunk: Buffer, _enc, cb) {
          bytes += chunk.length;
          if (bytes > opts.room) return cb(opts.overQuota());
          hash.update(chunk);
          cb(null, chunk);
        },
      });
      const out = tmp;
      const start: FileStart = { filename, csv, endpoint: endpoint ?? "", fields: { ...fields } };
      // Until onFile is done, busboy holds the file back (backpressure), and the sender with it.
      written = opts.onFile(start).then(() => pipeline(stream, counter, fs.createWriteStream(out)));
      written.catch(fail);
    });

    bb.on("close", () => {
      void (async () => {
        try {
          if (written) await written;
          if (settled) return;
          if (!tmp) {
            if (!opts.openaiForm) checkEndpoint();
            throw new UploadRejected(400, 'The upload has no file: send it in the "file" field.');
          }
          if (opts.openaiForm && fields.purpose !== "batch") {
            throw new UploadRejected(400, `purpose must be "batch"${fields.purpose ? `, not ${JSON.stringify(fields.purpose.slice(0, 40))}` : " (send the purpose field)"}: Batchboard stores batch input files only.`);
          }
          settled = true;
          signal.removeEventListener("abort", onAbort);
          resolve({ path: tmp, bytes, sha256: hash.digest("hex") });
        } catch (err) {
          fail(err);
        }
      })();
    });

    // Only now that every listener is on: a sender already gone (while the session was checked) fails here.
    if (signal.aborted) return onAbort();
    signal.addEventListener("abort", onAbort, { once: true });
    body.pipe(bb);
  });
}

/** Drops an upload that stores nothing after all: its reserved row and its temp file. */
async function discard(prisma: Db, fileId: string, tmp: string) {
  await prisma.inputFile.deleteMany({ where: { id: fileId } });
  await fs.promises.rm(tmp, { force: true }).catch(() => {});
}

/** The url of a JSONL file's first request when it is one Batchboard takes; else the first endpoint (the check then names the line). */
async function endpointOfFirstLine(file: string): Promise<string> {
  const endpoints = uploadEndpoints();
  const fh = await fs.promises.open(file, "r");
  try {
    const buf = Buffer.alloc(64 * 1024);
    const { bytesRead } = await fh.read(buf, 0, buf.length, 0);
    const head = buf.subarray(0, bytesRead).toString("utf8");
    const first = head.split("\n").find((l) => l.trim()) ?? "";
    const url = /"url"\s*:\s*"([^"]{1,100})"/.exec(first)?.[1];
    return url && endpoints.includes(url) ? url : endpoints[0];
  } finally {
    await fh.close();
  }
}

/**
 * Receives, validates and stores an upload for a team. Nothing of an upload the sender abandons
 * remains (no temp file, no InputFile row); the temp file is deleted in every case, since the
 * database rows are the source of truth.
 */
export async function handleUpload(request: Request, ctx: UploadContext, opts: UploadOptions = {}): Promise<Response> {
  const dir = path.join(opts.dataDir ?? env().DATA_DIR, "uploads");
  let limits: ValidationLimits = opts.limits ?? { ...uploadLimits, job: anyProviderJobLimits };
  let fileName: { pattern: RegExp; rule: string; who: string } | undefined;
  let checkFor: { who: string; endpoints: string[] } | undefined;
  const query = new URL(request.url).searchParams;
  const prisma = await db();
  // Read now: the stream below outlives the request's own context.
  const ip = await requestAddress();
  const record = (action: "file.uploaded" | "file.upload_failed", o: { fileId?: string; name?: string; data: Prisma.InputJsonValue }) =>
    audit(prisma, { teamId: ctx.teamId, actorId: ctx.userId, ip, action, targetType: "file", targetId: o.fileId, targetLabel: o.name ?? null, data: o.data }).catch((err) =>
      log.error("audit.write_failed", { action, err }),
    );
  /** A refused upload: its row in the audit log, and the answer. */
  const refuse = async (status: number, message: string, name?: string) => {
    await record("file.upload_failed", { name, data: { status, message } });
    return uploadError(status, message);
  };
  try {
    assertCleanParams(query);
  } catch (err) {
    return uploadError(400, (err as Error).message);
  }
  const target = query.get("connection");
  if (target && !opts.limits) {
    const t = await limitsForTarget(ctx.teamId, target);
    if (!t) return refuse(404, "That connection was not found.");
    limits = t.limits;
    if (t.fileName) fileName = { ...t.fileName, who: t.limits.label! };
    checkFor = { who: t.limits.label!, endpoints: t.endpoints };
  }

  if (!(request.headers.get("content-type") ?? "").toLowerCase().startsWith("multipart/form-data")) {
    return uploadError(415, multipartNeeded(opts));
  }
  // Refuse before reading a byte when the sender announces more than the limit allows.
  const announced = Number(request.headers.get("content-length") ?? NaN);
  if (Number.isFinite(announced) && announced > fileLimitsOf(limits).maxFileBytes + MULTIPART_SLACK) {
    return refuse(413, tooLargeMessage(limits));
  }
  if (!request.body) return uploadError(400, 'The upload has no file: send it in the "file" field.');

  const quota = opts.quotaBytes ?? settings().TEAM_STORAGE_QUOTA_MB * MB;
  const maxUploads = opts.maxUploadsPerUser ?? settings().MAX_UPLOADS_PER_USER;
  let used = 0;
  try {
    // A first look, before the body is read; the reservation below is what holds.
    await checkUploadsInProgress(prisma, ctx.userId, maxUploads);
    if (quota > 0) {
      used = await storedBytes(prisma, ctx.teamId);
      if (used >= quota || (Number.isFinite(announced) && announced > quota - used + MULTIPART_SLACK)) throw quotaError(quota, used);
    }
  } catch (err) {
    if (err instanceof UploadLimitError) return refuse(err.status, err.message);
    throw err;
  }

  const abort = new AbortController();
  const onRequestAbort = () => abort.abort(request.signal.reason);
  if (request.signal.aborted) onRequestAbort();
  else request.signal.addEventListener("abort", onRequestAbort, { once: true });

  // Known once the file part starts: how to read a CSV, and the reserved row.
  let file: FileStart | undefined;
  let csv: { mapping: CsvMapping; templateId?: string; encoding?: CsvEncoding } | undefined;
  let endpoint = "";
  let reserved: Promise<string> | undefined;
  const onFile = async (start: FileStart) => {
    file = start;
    endpoint = start.endpoint;
    if (start.csv) {
      // A CSV's mapping is checked before its bytes are read.
      csv = { ...(await csvMappingOf(ctx.teamId, start.fields)), encoding: (start.fields.encoding || undefined) as CsvEncoding | undefined };
      endpoint = csv.mapping.endpoint;
      if (checkFor && !checkFor.endpoints.includes(endpoint)) {
        throw new UploadRejected(400, `${checkFor.who} does not offer ${endpoint}; it offers ${checkFor.endpoints.join(", ")}.`);
      }
    }
    reserved = reserveUpload(
      prisma,
      {
        teamId: ctx.teamId,
        name: start.filename,
        format: start.csv ? "csv" : "jsonl",
        bytes: 0,
        endpoint,
        status: "uploading",
        createdById: ctx.userId,
        csv: csv ? csvRowMeta(csv.mapping, csv.templateId) : undefined,
        checkedFor: checkFor?.who ?? null,
      },
      maxUploads,
    );
    await reserved;
  };

  // The estimate's tokenizer table is built on the token worker while the body comes in (1-4 s, once a process).
  if (opts.countTokens !== false) void preloadTokenizer();
  let received: Received;
  try {
    const template = query.get("template");
    received = await receive(request, {
      limits,
      dir,
      signal: abort.signal,
      fileName,
      target: checkFor,
      preset: template ? { templateId: template } : {},
      openaiForm: opts.openaiForm,
      onFile,
      room: quota > 0 ? quota - used : Infinity,
      overQuota: () => quotaError(quota, used),
    });
  } catch (err) {
    request.signal.removeEventListener("abort", onRequestAbort);
    // An upload refused or abandoned keeps no row.
    const id = await reserved?.catch(() => null);
    if (id) await prisma.inputFile.deleteMany({ where: { id } });
    if (err instanceof UploadRejected || err instanceof UploadLimitError) return refuse(err.status, err.message, file?.filename);
    if (abort.signal.aborted || (err as Error)?.name === "AbortError") {
      // Nobody is listening any more; the status is for logs.
      return uploadError(499, "The upload was cancelled.");
    }
    return refuse(500, toUserMessage(err), file?.filename);
  }
  const fileId = await reserved!;
  const name = file!.filename;
  const convertArray = !csv && file!.fields.convert === JSON_ARRAY_CODE;
  if (file!.fields.convert && !convertArray) {
    await discard(prisma, fileId, received.path);
    return refuse(400, `Unknown conversion ${JSON.stringify(file!.fields.convert.slice(0, 40))}: only "${JSON_ARRAY_CODE}" (a JSON array of requests, for a JSONL file) is offered.`, name);
  }
  if (convertArray) {
    // The array's elements become the lines the check reads; the hash stays the uploaded bytes'.
    const converted = `${received.path}.jsonl`;
    try {
      await convertJsonArray(received.path, converted, { maxElementBytes: limits.maxLineBytes, signal: abort.signal });
    } catch (err) {
      await fs.promises.rm(converted, { force: true }).catch(() => {});
      await discard(prisma, fileId, received.path);
      if (err instanceof UserError) return refuse(400, err.message, name);
      if (abort.signal.aborted) return uploadError(499, "The upload was cancelled.");
      return refuse(500, toUserMessage(err), name);
    }
    await fs.promises.rm(received.path, { force: true }).catch(() => {});
    received = { ...received, path: converted };
  }
  if (!opts.openaiForm) {
    // The same bytes already stored for the team: that file is the answer, not a second entry.
    const same = await findDuplicate(prisma, { teamId: ctx.teamId, sha256: received.sha256, format: csv ? "csv" : "jsonl", endpoint, mapping: csv?.mapping, excludeId: fileId });
    if (same) {
      await discard(prisma, fileId, received.path);
      request.signal.removeEventListener("abort", onRequestAbort);
      const body = [{ type: "received", bytes: received.bytes, sha256: received.sha256 }, { type: "done", file: same }].map((e) => JSON.stringify(e)).join("\n") + "\n";
      return new Response(body, { status: 200, headers: { "content-type": "application/x-ndjson; charset=utf-8", "cache-control": "no-store" } });
    }
  }
  if (opts.openaiForm && !csv && !endpoint) {
    // OpenAI's form names no endpoint: the file's first request does, and the check holds every line to it.
    endpoint = await endpointOfFirstLine(received.path);
    await prisma.inputFile.update({ where: { id: fileId }, data: { endpoint } });
  }

  const encoder = new TextEncoder();
  const stream = new ReadableStream<Uint8Array>({
    start(controller) {
      let open = true;
      let validId: string | null = null;
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
          const common = {
            path: received.path,
            name,
            teamId: ctx.teamId,
            userId: ctx.userId,
            limits,
            sha256: received.sha256,
            signal: abort.signal,
            onProgress: (p: ImportProgress) => send({ type: "progress", ...p }),
            fileId,
            quotaBytes: quota,
          };
          const done = csv
            ? await importCsvFile(prisma, { ...common, mapping: csv.mapping, templateId: csv.templateId, encoding: csv.encoding })
            : await importJsonlFile(prisma, {
                ...common,
                endpoint,
                // The estimate's token count, made in the same pass (lib/files/store.ts); countSoon below then finds it kept.
                tokens: opts.countTokens === false ? undefined : { cacheDir: opts.dataDir ? path.join(opts.dataDir, "token-counts") : undefined },
              });
          await record(done.status === "valid" ? "file.uploaded" : "file.upload_failed", {
            fileId,
            name,
            data: { status: done.status, format: done.format, bytes: done.bytes, requests: done.requestCount, problems: done.problemCount },
          });
          const checked = target && done.status === "valid" ? await withModelWarnings(prisma, ctx.teamId, target, done) : done;
          const stored = { ...checked, checkedFor: checkFor?.who ?? null };
          // More problems than the row keeps: every one of them, for the CSV of the full list (a CSV keeps its own: lib/csv/import.ts).
          if (done.status === "invalid" && done.problemCount > MAX_KEPT_PROBLEMS && !csv) {
            await keepAllProblems(prisma, fileId, received.path, { limits, endpoint, signal: abort.signal }).catch((err) => log.error("upload.problems_not_kept", { fileId, err }));
          }
          if (done.sha256) await replaceUnstored(prisma, ctx.teamId, done.sha256, fileId);
          await cleanUpUnstored(prisma, { teamId: ctx.teamId });
          send({ type: "done", file: stored });
          if (done.status === "valid" && opts.countTokens !== false) validId = done.id;
        } catch (err) {
          if (!abort.signal.aborted) {
            send({ type: "error", message: toUserMessage(err) });
            await record("file.upload_failed", { fileId, name, data: { message: toUserMessage(err) } });
          }
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
          // The estimate's token count, made now rather than when the launch form asks for it: once
          // the answer has ended, and on the next turn, so the count's work never holds the answer back.
          if (validId) {
            const fileId = validId;
            setImmediate(() => countSoon(prisma, ctx.teamId, fileId, { cacheDir: opts.dataDir ? path.join(opts.dataDir, "token-counts") : undefined }));
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

/**
 * A valid file uploaded for a connection: the models its key cannot use (where the provider lists
 * them) become the file's first warnings, each at the first line naming it. Best effort: a provider
 * that cannot be asked leaves the file as it is.
 */
async function withModelWarnings(prisma: Db, teamId: string, connectionId: string, file: ImportedFile): Promise<ImportedFile> {
  let found: Awaited<ReturnType<typeof modelWarnings>>;
  try {
    const conn = await loadConnection(prisma, teamId, connectionId, { maxRetries: 0, timeoutMs: 15_000 });
    found = await modelWarnings(conn, file.models, async (model) => {
      const r = await prisma.request.findFirst({ where: { fileId: file.id, model }, orderBy: { line: "asc" }, select: { line: true } });
      return r?.line ?? 1;
    });
  } catch (err) {
    log.info("upload.models_unchecked", { fileId: file.id, err });
    return file;
  }
  if (!found.length) return file;
  const warnings = [...found, ...(file.warnings ?? [])].sort((a, b) => a.line - b.line).slice(0, MAX_KEPT_PROBLEMS);
  const warningCount = (file.warningCount ?? 0) + found.length;
  await prisma.inputFile.update({ where: { id: file.id }, data: { warnings: warnings as unknown as Prisma.InputJsonValue, warningCount } });
  return { ...file, warnings, warningCount };
}
