// Pages of rows as the read models hand them out (batch list, OFFSET pages of results): the page
// asked for and the size clamped to what a page may be, whatever the URL said, and dates as ISO
// strings so that a page is plain JSON.

export interface Paged<T> {
  rows: T[];
  total: number;
  page: number;
  pageSize: number;
  pageCount: number;
}

/** The most rows one page may hold. */
export const MAX_PAGE_SIZE = 500;

/** A date as plain JSON carries it; none stays null. */
export const iso = (d: Date | null | undefined) => (d ? d.toISOString() : null);

export function clampPage(page: number | undefined) {
  return Number.isFinite(page) && (page as number) >= 1 ? Math.floor(page as number) : 1;
}

export function clampSize(size: number | undefined, fallback: number) {
  return Number.isFinite(size) && (size as number) >= 1 ? Math.min(Math.floor(size as number), MAX_PAGE_SIZE) : fallback;
}
