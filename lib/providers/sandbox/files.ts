// The sandbox's Files API: uploads streamed into the database a chunk at a time (blobs.ts; never
// buffered: batch files reach 200 MB), one SandboxFile row each, scoped to the team that the API
// key opens.
import "server-only";
import { Readable, Transform, type Writable } from "node:stream";
import { pipeline } from "node:stream/promises";
import type { ReadableStream as NodeReadableStream } from "node:stream/web";
import busboy from "busboy";
import { db, type Db } from "@/lib/db/client";
import type { Prisma } from "@/lib/generated/prisma/client";
import { badRequest, notFound, SandboxError } from "./api-error";
import { blobLines, blobRecords, blobStream, blobWriter, deleteBlob, deleteFileContent } from "./blobs";
import { modeOf } from "@/lib/providers/imitations";
import type { SandboxMode } from "./mode";

export const MAX_FILE_BYTES = 200 * 1024 * 1024;

export type SandboxFileRow = Prisma.SandboxFileGetPayload<object>;

const seconds = (d: Date) => Math.floor(d.getTime() / 1000);

export function fileObject(f: SandboxFileRow) {
  return {
    id: f.id,
    object: "file",
    bytes: f.bytes,
    created_at: seconds(f.createdAt),
    filename: f.filename,
    purpose: f.purpose,
    status: "processed",
  };
}

export async function uploadFile(teamId: string, req: Request, mode: SandboxMode = modeOf("openai")) {
  const id = mode.fileId();
  const prisma = await db();
  try {
    // The content goes in under the file's own id; it is found only once its row exists.
    const got = await receiveMultipart(req, () => blobWriter(prisma, id), mode.maxFileBytes);
    if (!got.file) throw badRequest("Missing required parameter: 'file'.", "file", "missing_required_parameter");
    if (got.file.truncated) {
      throw new SandboxError(413, `File is too large: the limit is ${mode.maxFileBytes} bytes.`, "invalid_request_error", "file_too_large", "file");
    }
    const purpose = got.fields.purpose;
    if (!purpose) throw badRequest("Missing required parameter: 'purpose'.", "purpose", "missing_required_parameter");
    if (!mode.uploadPurposes.includes(purpose)) {
      throw badRequest(`'${purpose}' is not one of ${JSON.stringify(mode.uploadPurposes)} - 'purpose'`, "purpose", "invalid_value");
    }
    if (mode.fileName && !mode.fileName.test(got.file.filename)) {
      throw badRequest(`The file name '${got.file.filename}' is not allowed: batch files must be .jsonl files.`, "file", "invalid_file_name");
    }
    if (mode.refusesEmptyFile && got.file.bytes === 0) throw badRequest("The file is empty.", "file", "empty_file");
    const row = await prisma.sandboxFile.create({
      data: { id, teamId, filename: got.file.filename, purpose, bytes: got.file.bytes, lines: got.file.lines },
    });
    return fileObject(row);
  } catch (err) {
    await deleteBlob(prisma, id);
    throw err;
  }
}

interface ReceivedFile {
  filename: string;
  bytes: number;
  lines: number;
  truncated: boolean;
}

/** Parses multipart as a stream: the file part goes straight to the sink, counting bytes and lines. */
async function receiveMultipart(req: Request, sink: () => Writable, maxBytes = MAX_FILE_BYTES) {
  const contentType = req.headers.get("content-type") ?? "";
  if (!/^multipart\/form-data/i.test(contentType) || !req.body) {
    throw badRequest("Uploads must be multipart/form-data with the fields 'purpose' and 'file'.");
  }
  let parser: busboy.Busboy;
  try {
    // busboy marks a file truncated once it reaches `fileSize` bytes, so a file of exactly the limit
    // would read as too large: one byte more is what "over the limit" means.
    parser = busboy({ headers: { "content-type": contentType }, limits: { files: 1, fields: 20, fileSize: maxBytes + 1 } });
  } catch {
    throw badRequest("Could not read the multipart body (missing boundary?).");
  }
  const fields: Record<string, string> = {};
  let file: ReceivedFile | undefined;
  let written: Promise<void> = Promise.resolve();
  parser.on("field", (name, value) => {
    fields[name] = value;
  });
  parser.on("file", (name, stream, info) => {
    if (name !== "file" || file) {
      stream.resume(); // anything but the first "file" part is drained and ignored
      return;
    }
    const f: ReceivedFile = { filename: info.filename || "upload.jsonl", bytes: 0, lines: 0, truncated: false };
    file = f;
    let last = -1;
    const counter = new Transform({
      transform(chunk: Buffer, _enc, done) {
        f.bytes += chunk.length;
        for (let i = chunk.indexOf(10); i !== -1; i = chunk.indexOf(10, i + 1)) f.lines++;
        last = chunk[chunk.length - 1];
        done(null, chunk);
      },
      flush(done) {
        if (f.bytes > 0 && last !== 10) f.lines++; // a last line without its newline
        done();
      },
    });
    stream.on("limit", () => {
      f.truncated = true;
    });
    written = pipeline(stream, counter, sink());
    written.catch(() => {}); // awaited below; this only keeps an early failure from being "unhandled"
  });
  try {
    await pipeline(Readable.fromWeb(req.body as NodeReadableStream), parser);
  } catch (err) {
    throw badRequest(`Could not read the multipart body: ${(err as Error).message}`);
  }
  await written;
  return { fields, file };
}

export async function findFile(teamId: string, id: string) {
  const prisma = await db();
  const row = await prisma.sandboxFile.findFirst({ where: { id, teamId } });
  if (!row) throw notFound(`No such File object: ${id}`, "id");
  return row;
}

export async function fileContent(teamId: string, id: string) {
  const row = await findFile(teamId, id);
  const stream = blobStream(await db(), row.id);
  return new Response(Readable.toWeb(stream) as ReadableStream, {
    headers: { "content-type": "application/octet-stream", "content-length": String(row.bytes) },
  });
}

/** A file's lines from line `skip` on (0-based), for resumed reads of result files. Read twice: the header counts them first. */
export async function fileContentFrom(row: SandboxFileRow, skip: number, headers: Record<string, string>) {
  const prisma = await db();
  let count = 0;
  for await (const _ of blobRecords(prisma, row.id)) count++;
  async function* rest() {
    let i = 0;
    for await (const l of blobRecords(prisma, row.id)) if (i++ >= skip) yield `${l}\n`;
  }
  return new Response(Readable.toWeb(Readable.from(rest())) as ReadableStream, {
    headers: { "content-type": "application/octet-stream", "x-last-line": String(Math.max(skip, count)), ...headers },
  });
}

export async function deleteFile(teamId: string, id: string) {
  const row = await findFile(teamId, id);
  const prisma = await db();
  await prisma.sandboxFile.deleteMany({ where: { id: row.id, teamId } });
  await deleteFileContent(prisma, row.id);
  return { id: row.id, object: "file", deleted: true };
}

export async function listFiles(teamId: string, q: URLSearchParams) {
  const limit = intParam(q, "limit", 10_000, 1, 10_000);
  const order = q.get("order") ?? "desc";
  if (order !== "asc" && order !== "desc") throw badRequest("'order' must be 'asc' or 'desc'.", "order");
  const purpose = q.get("purpose");
  const prisma = await db();
  const where: Prisma.SandboxFileWhereInput = { teamId, ...(purpose ? { purpose } : {}) };
  const after = q.get("after");
  if (after) {
    const cursor = await prisma.sandboxFile.findFirst({ where: { id: after, teamId } });
    if (!cursor) throw badRequest(`No such File object for 'after': ${after}`, "after");
    where.AND = afterCursor(cursor, order);
  }
  const rows = await prisma.sandboxFile.findMany({
    where,
    orderBy: [{ createdAt: order }, { id: order }],
    take: limit + 1,
  });
  return listObject(rows.slice(0, limit).map(fileObject), rows.length > limit);
}

/** Rows strictly after the cursor in (createdAt, id) order: ties in time never repeat or skip. */
export function afterCursor(cursor: { id: string; createdAt: Date }, order: "asc" | "desc") {
  const op = order === "desc" ? "lt" : "gt";
  return {
    OR: [{ createdAt: { [op]: cursor.createdAt } }, { createdAt: cursor.createdAt, id: { [op]: cursor.id } }],
  };
}

/** Lists as OpenAI sends them; first_id/last_id are left out of an empty list (never null: the spec says string). */
export function listObject<T extends { id: string }>(data: T[], hasMore: boolean) {
  return {
    object: "list",
    data,
    ...(data.length ? { first_id: data[0].id, last_id: data[data.length - 1].id } : {}),
    has_more: hasMore,
  };
}

export function intParam(q: URLSearchParams, name: string, dflt: number, min: number, max: number) {
  const raw = q.get(name);
  if (raw === null || raw === "") return dflt;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min || n > max) {
    throw badRequest(`Invalid '${name}': expected an integer between ${min} and ${max}.`, name);
  }
  return n;
}

/** The non-blank lines of a stored JSONL file with their 1-based line numbers, streamed. */
export async function* jsonlLines(prisma: Db, fileId: string) {
  let line = 0;
  for await (const text of blobLines(prisma, fileId)) {
    line++;
    if (text.trim()) yield { line, text };
  }
}
