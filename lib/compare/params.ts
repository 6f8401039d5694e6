// The comparison's state as it lives in the URL (?a=&b=&filter=&q=&after=): parsed the same way by
// the page and the CSV route, so a link shows a teammate the same rows and exports the same rows.
// No server-only code: the picker (client) builds its links with it too.
import { COMPARE_FILTERS, type CompareFilter } from "./types";

export interface CompareParams {
  a: string;
  b: string;
  filter: CompareFilter;
  q: string;
  /** A keyset cursor (rows.ts); empty on the first page. */
  after: string;
}

type Source = URLSearchParams | Record<string, string | string[] | undefined>;

function read(src: Source, name: string): string {
  if (src instanceof URLSearchParams) return src.get(name) ?? "";
  const v = src[name];
  return (Array.isArray(v) ? v[0] : v) ?? "";
}

/** A filter's name, or "all" for anything else. */
export function parseCompareFilter(v: unknown): CompareFilter {
  return COMPARE_FILTERS.includes(v as CompareFilter) ? (v as CompareFilter) : "all";
}

const id = (s: string) => (/^[A-Za-z0-9_-]{1,64}$/.test(s) ? s : "");

export function parseCompareParams(src: Source): CompareParams {
  return {
    a: id(read(src, "a").trim()),
    b: id(read(src, "b").trim()),
    filter: parseCompareFilter(read(src, "filter")),
    q: read(src, "q").trim().slice(0, 200),
    after: read(src, "after").slice(0, 64),
  };
}

/** The query string of a state, defaults left out so that links stay short. */
export function compareQuery(p: Partial<CompareParams>): string {
  const s = new URLSearchParams();
  if (p.a) s.set("a", p.a);
  if (p.b) s.set("b", p.b);
  if (p.filter && p.filter !== "all") s.set("filter", p.filter);
  if (p.q) s.set("q", p.q);
  if (p.after) s.set("after", p.after);
  const out = s.toString();
  return out ? `?${out}` : "";
}

export const filterLabels: Record<CompareFilter, string> = {
  all: "All",
  changed: "Changed",
  same: "Same",
  one_failed: "One side failed",
  both_failed: "Both failed",
  only_a: "Only in A",
  only_b: "Only in B",
};
