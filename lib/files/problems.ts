// The full problem list of an invalid file. A file keeps its first 100 problems on its row (enough
// for the page); when it has more, the upload checks the file once more, streaming, while it is
// still on disk, and keeps every problem as FileProblem rows, inserted in batches (a CSV's: its
// rows read again and its converted requests checked again, lib/csv/import.ts). The list is
// downloaded as CSV (problemsCsv), read from the rows in pages by line, never all in memory at once.
import "server-only";
import type { Db } from "@/lib/db/client";
import type { Prisma } from "@/lib/generated/prisma/client";
import { storableText } from "@/lib/storable";
import { csvField } from "@/lib/csv/write";
import type { Locale } from "@/lib/i18n/config";
import { localize } from "@/lib/i18n/server-messages";
import type { Problem } from "./types";
import { MAX_KEPT_PROBLEMS, validateJsonl, type ValidationLimits } from "./validate-jsonl";

/** Adds a batch of problems to the FileProblem rows of `fileId` (a CSV's by row and column). */
export async function storeProblems(prisma: Db, fileId: string, batch: Problem[]): Promise<void> {
  if (batch.length === 0) return;
  await prisma.fileProblem.createMany({
    data: batch.map((p) => ({ fileId, line: p.line, field: p.field === undefined ? null : storableText(p.field), message: storableText(p.message) })),
  });
}

/** Checks the JSONL at `path` again and stores every problem it has into FileProblem rows of `fileId`. */
export async function keepAllProblems(prisma: Db, fileId: string, path: string, opts: { limits: ValidationLimits; endpoint: string; signal?: AbortSignal }): Promise<number> {
  let kept = 0;
  await prisma.fileProblem.deleteMany({ where: { fileId } });
  await validateJsonl(path, {
    ...opts,
    allProblems: async (batch) => {
      await storeProblems(prisma, fileId, batch);
      kept += batch.length;
    },
  });
  return kept;
}

const PAGE = 5000;

/**
 * The file's problems as CSV lines (header first): every one when they were kept, else the ones on
 * its row (all of them, when there are no more than MAX_KEPT_PROBLEMS). The messages in the
 * reader's language, as the file's page shows them; the header's names stay English (a program's).
 */
export async function* problemsCsv(prisma: Db, file: { id: string; problems: Problem[]; problemCount: number; csv: boolean }, locale: Locale = "en"): AsyncGenerator<string> {
  yield `${[file.csv ? "row" : "line", file.csv ? "column" : "field", "message"].join(",")}\r\n`;
  const row = (p: { line: number; field?: string | null; message: string }) => `${[String(p.line), csvField(p.field ?? ""), csvField(localize(p.message, locale))].join(",")}\r\n`;
  const kept = file.problemCount > MAX_KEPT_PROBLEMS ? await prisma.fileProblem.count({ where: { fileId: file.id } }) : 0;
  if (kept === 0) {
    for (const p of file.problems) yield row(p);
    return;
  }
  // By line (a CSV's two passes each keep theirs in row order), then as found; a keyset page on the
  // (fileId, line) index.
  let after: { line: number; id: bigint } | null = null;
  for (;;) {
    const where: Prisma.FileProblemWhereInput = after
      ? { fileId: file.id, OR: [{ line: { gt: after.line } }, { line: after.line, id: { gt: after.id } }] }
      : { fileId: file.id };
    const rows = await prisma.fileProblem.findMany({ where, orderBy: [{ line: "asc" }, { id: "asc" }], take: PAGE });
    if (rows.length === 0) return;
    yield rows.map(row).join("");
    const last = rows[rows.length - 1];
    after = { line: last.line, id: last.id };
  }
}
