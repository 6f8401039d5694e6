// The shapes an upload reports, shared by the server (lib/files/upload.ts) and the upload panel in
// the browser, which must not import server modules.

export interface Problem {
  /** 1-based line of the file; for a CSV, the row as a spreadsheet numbers it (the header is row 1). */
  line: number;
  /** The JSON path of the field at fault, when one is: "custom_id", "body.model"...; for a CSV, the column's name. */
  field?: string;
  message: string;
  /** What kind of problem it is when the page offers something for it: "json-array" (convert to JSONL), "not-text". */
  code?: string;
}

/** The warning of a valid file over one batch's limits of its target, which will be launched as a job of parts (validate-jsonl.ts). */
export const JOB_NOTE_CODE = "job-of-parts";

/** A file's warnings apart: the notes that it will be launched as a job of parts, and the rest. */
export function splitJobNotes(warnings: Problem[] | undefined, warningCount: number | undefined): { notes: Problem[]; others: Problem[]; otherCount: number } {
  const all = warnings ?? [];
  const notes = all.filter((w) => w.code === JOB_NOTE_CODE);
  return { notes, others: all.filter((w) => w.code !== JOB_NOTE_CODE), otherCount: Math.max(0, (warningCount ?? 0) - notes.length) };
}

export type FileStatus = "uploading" | "valid" | "invalid" | "failed";

export interface ImportedFile {
  id: string;
  name: string;
  endpoint: string;
  /** "csv": problems are by row and column, and `csv` says how the file was read. */
  format: "jsonl" | "csv";
  csv?: { encoding: string; delimiter: string; columns: string[]; rows: number; bytes: number };
  status: "valid" | "invalid" | "failed";
  bytes: number;
  lineCount: number;
  requestCount: number;
  models: string[];
  problemCount: number;
  /** The first 100. */
  problems: Problem[];
  /** What will likely fail without making the file unusable (lib/files/warnings.ts); the first 100. */
  warningCount?: number;
  warnings?: Problem[];
  sha256: string | null;
  /** Whose limits it was checked against ("Kimi (Moonshot)"); null: any provider, the loosest limits. */
  checkedFor?: string | null;
  /** The same bytes were already uploaded as this file: nothing new was stored, and this is the earlier file. */
  duplicate?: boolean;
}

/** One line of the NDJSON that POST /api/uploads answers with. */
export type UploadEvent =
  | { type: "received"; bytes: number; sha256: string }
  | { type: "progress"; phase: "converting"; rows: number; bytes: number }
  | { type: "progress"; phase: "checking"; lines: number; bytes: number }
  | { type: "progress"; phase: "storing"; stored: number; total: number }
  | { type: "done"; file: ImportedFile }
  | { type: "error"; message: string };
