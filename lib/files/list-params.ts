// The Files list's address: ?q= (part of the name), ?status= (valid, invalid, failed, uploading),
// ?type= (jsonl, csv) and ?page=. Read on the page (a value it cannot use names itself, through
// ParamError) and written by the filters; no server-only code.
import { ParamError, pageParam, paramValue, type ParamSource } from "@/lib/http/params";

export const FILE_STATUSES = ["valid", "invalid", "failed", "uploading"] as const;
export const FILE_TYPES = ["jsonl", "csv"] as const;

/** What the Files list is narrowed to: a part of the name, a status, a type (format). */
export interface FileFilter {
  q?: string;
  status?: (typeof FILE_STATUSES)[number];
  type?: (typeof FILE_TYPES)[number];
}

const MAX_Q = 200;

function oneOf<T extends string>(src: ParamSource, name: string, values: readonly T[]): T | undefined {
  const v = paramValue(src, name)?.trim().toLowerCase();
  if (!v) return undefined;
  if (!values.includes(v as T)) throw new ParamError(name, `The parameter "${name}" must be one of ${values.join(", ")}; ${JSON.stringify(v.slice(0, 40))} is not.`);
  return v as T;
}

export function fileListParams(src: ParamSource): { filter: FileFilter; page: number } {
  const q = paramValue(src, "q")?.trim();
  if (q && q.length > MAX_Q) throw new ParamError("q", `The search is ${q.length} characters; a file's name is searched with at most ${MAX_Q}.`);
  return { filter: { q: q || undefined, status: oneOf(src, "status", FILE_STATUSES), type: oneOf(src, "type", FILE_TYPES) }, page: pageParam(src) };
}

export const hasFileFilter = (f: FileFilter) => !!(f.q || f.status || f.type);

/** The list's address for a filter and page (page 1 and empty values left out). */
export function fileListHref(f: FileFilter, page = 1): string {
  const p = new URLSearchParams();
  if (f.q) p.set("q", f.q);
  if (f.status) p.set("status", f.status);
  if (f.type) p.set("type", f.type);
  if (page > 1) p.set("page", String(page));
  const s = p.toString();
  return s ? `/files?${s}` : "/files";
}
