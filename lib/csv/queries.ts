// Reads of a CSV upload for the file page: how it was read and mapped (InputFile.csv), the template
// it came from, and the spreadsheet rows its requests were made from. Filtered by team like every read.
import "server-only";
import type { Db } from "@/lib/db/client";
import { sql } from "@/lib/db/sql";
import type { CsvFileMeta } from "./import";

export interface CsvFileInfo extends Partial<CsvFileMeta> {
  /** The saved template the mapping came from, when it still exists. */
  templateName?: string;
}

/** How a file of the team was read, when it was uploaded as a CSV; null for a JSONL file (or another team's). */
export async function csvFileInfo(prisma: Db, teamId: string, fileId: string): Promise<CsvFileInfo | null> {
  const f = await prisma.inputFile.findFirst({ where: { id: fileId, teamId }, select: { format: true, csv: true } });
  if (!f || f.format !== "csv") return null;
  const meta = (f.csv ?? {}) as Partial<CsvFileMeta>;
  const t = meta.templateId ? await prisma.promptTemplate.findFirst({ where: { id: meta.templateId, teamId }, select: { name: true } }) : null;
  return { ...meta, templateName: t?.name };
}

/** The spreadsheet row of each of these lines of a CSV file's requests (only the row number is read, not the cells). */
export async function rowsOfRequests(prisma: Db, teamId: string, fileId: string, lines: number[]): Promise<Map<number, number>> {
  if (lines.length === 0) return new Map();
  const rows = await sql(prisma).query<{ line: number; row: number | null }>(
    `SELECT r."line", (r."source"->>'row')::int AS "row"
       FROM "Request" r JOIN "InputFile" f ON f."id" = r."fileId"
      WHERE r."fileId" = $1 AND f."teamId" = $2 AND r."line" = ANY($3::int[])`,
    [fileId, teamId, lines],
  );
  return new Map(rows.filter((r) => r.row !== null).map((r) => [r.line, Number(r.row)]));
}
