// The results view's state as it lives in the URL (?status=&q=&code=&finish=&model=&sort=): parsed
// the same way by the page, the JSON and export routes, and the browser, so a copied link shows a
// teammate the same rows in the same order. No server code here: the browser imports it too.
export type ResultStatusParam = "all" | "succeeded" | "failed";

/** Token columns the results can be sorted by; "-" in front means descending. */
export const TOKEN_SORTS = ["total_tokens", "prompt_tokens", "completion_tokens"] as const;
export type TokenSort = (typeof TOKEN_SORTS)[number];
/** "" is the input file's order (the default). */
export type ResultSortParam = "" | TokenSort | `-${TokenSort}`;

export interface ResultParams {
  status: ResultStatusParam;
  /** Searched in custom_id, prompt and answer. */
  q: string;
  /** Exact error code, finish reason or model (the values the batch holds are offered). */
  code: string;
  finish: string;
  model: string;
  sort: ResultSortParam;
}

export const DEFAULT_RESULT_PARAMS: ResultParams = { status: "all", q: "", code: "", finish: "", model: "", sort: "" };

type Source = URLSearchParams | { get(name: string): string | null } | Record<string, string | string[] | undefined>;

function read(src: Source, name: string): string | undefined {
  if (typeof (src as URLSearchParams).get === "function") return (src as URLSearchParams).get(name) ?? undefined;
  const v = (src as Record<string, string | string[] | undefined>)[name];
  return Array.isArray(v) ? v[0] : v;
}

const text = (src: Source, name: string) => (read(src, name) ?? "").trim().slice(0, 200);

export function parseSort(v: string | undefined | null): ResultSortParam {
  const s = (v ?? "").trim();
  const bare = s.startsWith("-") ? s.slice(1) : s;
  return (TOKEN_SORTS as readonly string[]).includes(bare) ? (s as ResultSortParam) : "";
}

export function parseResultParams(src: Source): ResultParams {
  const status = read(src, "status");
  return {
    status: status === "succeeded" || status === "failed" ? status : "all",
    q: text(src, "q"),
    code: text(src, "code"),
    finish: text(src, "finish"),
    model: text(src, "model"),
    sort: parseSort(read(src, "sort")),
  };
}

/** The query string for a state, leaving defaults out so that URLs stay short ("" when all are). */
export function resultParamsQuery(p: Partial<ResultParams>, extra: Record<string, string | undefined> = {}): string {
  const s = new URLSearchParams();
  if (p.status && p.status !== "all") s.set("status", p.status);
  if (p.q) s.set("q", p.q);
  if (p.code) s.set("code", p.code);
  if (p.finish) s.set("finish", p.finish);
  if (p.model) s.set("model", p.model);
  if (p.sort) s.set("sort", p.sort);
  for (const [k, v] of Object.entries(extra)) if (v) s.set(k, v);
  const out = s.toString();
  return out ? `?${out}` : "";
}

/** Whether any filter narrows the rows (sorting alone does not). */
export function isFiltered(p: ResultParams) {
  return p.status !== "all" || p.q !== "" || p.code !== "" || p.finish !== "" || p.model !== "";
}

export function sameResultParams(a: ResultParams, b: ResultParams) {
  return a.status === b.status && a.q === b.q && a.code === b.code && a.finish === b.finish && a.model === b.model && a.sort === b.sort;
}
