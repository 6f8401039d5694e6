// The Files list's filter and its address (?q=, ?status=, ?type=, ?page=), for the page and the
// filters in the browser: no imports, so nothing of the server reaches the browser's bundle.

export const FILE_STATUSES = ["valid", "invalid", "failed", "uploading"] as const;
export const FILE_TYPES = ["jsonl", "csv"] as const;

/** What the Files list is narrowed to: a part of the name, a status, a type (format). */
export interface FileFilter {
  q?: string;
  status?: (typeof FILE_STATUSES)[number];
  type?: (typeof FILE_TYPES)[number];
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
