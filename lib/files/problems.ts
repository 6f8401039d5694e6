// The full problem list of an invalid file. A file keeps its first 100 problems on its row (enough
// for the page); when it has more, the upload checks the file once more, streaming, while it is
// still on disk, and keeps every problem as FileProblem rows, inserted in batches. The list is
// downloaded as CSV (problemsCsv), read from the rows in pages, never all in memory at once.
import "server-only";
import type { Db } from "@/lib/db/client";
import { storableText } from "@/lib/storable";
import { csvField } from "@/lib/csv/write";
import type { Locale } from "@/lib/i18n/config";
import { localize } from "@/lib/i18n/server-messages";
import type { Problem } from "./types";
import { MAX_KEPT_PROBLEMS, validateJsonl, type ValidationLimits } from "./validate-jsonl";

/** Checks the JSONL at `path` again and stores every problem it has into FileProblem rows of `fileId`. */
export async function keepAllProblems(prisma: Db, fileId: string, path: string, opts: { limits: ValidationLimits; endpoint: string; signal?: AbortSignal }): Promise<number> {
  let kept = 0;
  await prisma.fileProblem.deleteMany({ where: { fileId } });
  await validateJsonl(path, {
    ...opts,
    allProblems: async (batch) => {
      await prisma.fileProblem.createMany({
        data: batch.map((p) => ({ fileId, line: p.line, field: p.field === undefined ? null : storableText(p.field), message: storableText(p.message) })),
      });
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
  let after = BigInt(0);
  for (;;) {
    const rows = await prisma.fileProblem.findMany({ where: { fileId: file.id, id: { gt: after } }, orderBy: { id: "asc" }, take: PAGE });
    if (rows.length === 0) return;
    yield rows.map(row).join("");
    after = rows[rows.length - 1].id;
  }
}
