// The results of a sandbox batch: its output and error files, written once when it ends (by whichever
// instance reads it first; ids and content derive from the batch alone), and read while it runs
// where the mode serves partial results (Doubleword: X-Incomplete, X-Last-Line, ?offset= / ?skip=).
import "server-only";
import crypto from "node:crypto";
import { once } from "node:events";
import { db, type Db } from "@/lib/db/client";
import { modeOf } from "@/lib/providers/imitations";
import { SandboxError } from "@/lib/providers/sandbox/api-error";
import { blobWriter, commitResultFile, deleteBlob } from "@/lib/providers/sandbox/blobs";
import { clockOf, type BatchRow } from "@/lib/providers/sandbox/clock";
import { fileContent, fileContentFrom, findFile, intParam, jsonlLines } from "@/lib/providers/sandbox/files";
import type { SandboxMode } from "@/lib/providers/sandbox/mode";
import { errorLine, outputLine, shuffled } from "@/lib/providers/sandbox/model";
import { progressAt, requestDoneAt, type Progress } from "@/lib/providers/sandbox/progress";

/**
 * GET /files/{id}/content. In modes with partial results (Doubleword) a result file can be read
 * while its batch runs: the lines so far, with `X-Incomplete: true` and `X-Last-Line: N`; `?offset=`
 * or `?skip=` resumes after the lines already read.
 */
export async function resultContent(teamId: string, fileId: string, q: URLSearchParams, mode: SandboxMode) {
  const skipRaw = q.get("offset") ?? q.get("skip");
  const skip = skipRaw === null ? 0 : intParam(new URLSearchParams({ skip: skipRaw }), "skip", 0, 0, 10_000_000);
  if (mode.resultFilesOnly) {
    const f = await findFile(teamId, fileId);
    if (f.purpose !== "batch_output") {
      throw new SandboxError(403, `File ${fileId} cannot be downloaded: only a batch's output and error files (file-batch_output-...) can be.`, "invalid_request_error", "file_not_downloadable", "file_id");
    }
  }
  if (!mode.partialResults) return fileContent(teamId, fileId);
  const prisma = await db();
  const row = await prisma.sandboxBatch.findFirst({ where: { teamId, OR: [{ outputFileId: fileId }, { errorFileId: fileId }] } });
  if (row) {
    const p = progressAt(clockOf(row), Date.now());
    // Over: the final files are written once, and served below like any file (a failed batch's
    // problems file was written at its create).
    if (p.status === "failed") {
      // served below
    } else if (p.hasResults) {
      if (!row.finalized) await finalizeOnce(row, p);
    } else {
      const kind = row.outputFileId === fileId ? "output" : "error";
      const lines: string[] = [];
      for await (const l of resultLines(row, p)) if (l.kind === kind) lines.push(l.text);
      const rest = lines.slice(skip);
      return new Response(rest.map((l) => `${l}\n`).join(""), {
        headers: { "content-type": "application/octet-stream", "x-incomplete": "true", "x-last-line": String(skip + rest.length) },
      });
    }
  }
  const file = await findFile(teamId, fileId);
  if (skip === 0) {
    const res = await fileContent(teamId, fileId);
    res.headers.set("x-last-line", String(file.lines));
    return res;
  }
  return fileContentFrom(file, skip, {});
}

/** Finalizations under way in this process: concurrent polls of one batch share the work. */
const finalizing = new Map<string, Promise<BatchRow>>();

export function finalizeOnce(row: BatchRow, p: Progress) {
  let job = finalizing.get(row.id);
  if (!job) {
    job = writeResults(row, p).finally(() => finalizing.delete(row.id));
    finalizing.set(row.id, job);
  }
  return job;
}

/**
 * Writes the output and error files of an ended batch and records their ids. Safe to run twice,
 * even from two instances at once: ids and content are derived from the batch alone, and each file
 * is written under an id of its own, then put into place with its row in one statement
 * (commitResultFile: the first wins).
 */
async function writeResults(row: BatchRow, p: Progress): Promise<BatchRow> {
  const prisma = await db();
  const mode = modeOf(row.mode);
  const expired = p.status === "expired";
  const errorCount = p.failed + (expired ? row.total - p.done : 0);
  // Modes with partial results named both files at creation: both exist, even empty.
  const files = {
    output: p.completed > 0 || (mode.partialResults && row.outputFileId) ? resultFile(prisma, row, "output") : null,
    error: errorCount > 0 || (mode.partialResults && row.errorFileId) ? resultFile(prisma, row, "error") : null,
  };
  if (files.output || files.error) {
    const lines = () => resultLines(row, p);
    const open = [files.output, files.error].filter((f) => f !== null);
    try {
      for await (const { kind, text } of mode.ordered ? lines() : shuffled(lines(), row.id)) {
        const f = files[kind];
        if (f) await f.write(`${text}\n`);
      }
      const done = [];
      for (const f of open) done.push(await f.close());
      for (const d of done) await commitResultFile(prisma, d.tmpId, d.file);
    } catch (err) {
      await Promise.all(open.map((f) => f.abort()));
      throw err;
    }
  }
  return prisma.sandboxBatch.update({
    where: { id: row.id },
    data: { finalized: true, outputFileId: files.output?.id ?? null, errorFileId: files.error?.id ?? null },
  });
}

/** The result lines of the requests done so far (all of them once the batch is over), in input order. */
async function* resultLines(row: BatchRow, p: Progress) {
  const clock = clockOf(row);
  const expired = p.status === "expired";
  const failed = new Set(row.failedLines);
  let index = 0;
  for await (const { text } of jsonlLines(await db(), row.inputFileId)) {
    const i = index++;
    const req = JSON.parse(text) as { custom_id: string; body: Record<string, unknown> };
    if (i >= p.done) {
      if (expired) yield { kind: "error" as const, text: errorLine(row.id, req.custom_id, "expired") };
      continue;
    }
    if (failed.has(i)) {
      yield { kind: "error" as const, text: errorLine(row.id, req.custom_id, "failed") };
      continue;
    }
    const ctx = { seed: `${row.id}:${req.custom_id}`, index: i, created: Math.floor(requestDoneAt(clock, i) / 1000) };
    yield { kind: "output" as const, text: outputLine(row.id, req.custom_id, row.endpoint, req.body, ctx) };
  }
}

function resultFile(prisma: Db, row: BatchRow, kind: "output" | "error") {
  const id = (kind === "output" ? row.outputFileId : row.errorFileId) ?? modeOf(row.mode).resultFileId(row.id, kind);
  const tmpId = `${id}.${crypto.randomUUID()}.tmp`;
  const out = blobWriter(prisma, tmpId);
  let bytes = 0;
  let lines = 0;
  return {
    id,
    async write(s: string) {
      bytes += Buffer.byteLength(s);
      lines++;
      if (!out.write(s)) await once(out, "drain");
    },
    async abort() {
      out.destroy();
      await deleteBlob(prisma, tmpId);
    },
    async close() {
      out.end();
      await once(out, "finish");
      return { tmpId, file: { id, teamId: row.teamId, filename: `${row.id}_${kind}.jsonl`, purpose: "batch_output", bytes, lines } };
    },
  };
}
