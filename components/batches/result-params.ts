// The results view's state as it lives in the URL (?page=&status=&q=): parsed the same way by the
// page, the JSON and export routes, and the client component, so a shared link shows the same rows.
export type ResultStatusParam = "all" | "succeeded" | "failed";

export interface ResultParams {
  page: number;
  status: ResultStatusParam;
  q: string;
}

type Source = URLSearchParams | { get(name: string): string | null } | Record<string, string | string[] | undefined>;

function read(src: Source, name: string): string | undefined {
  if (typeof (src as URLSearchParams).get === "function") return (src as URLSearchParams).get(name) ?? undefined;
  const v = (src as Record<string, string | string[] | undefined>)[name];
  return Array.isArray(v) ? v[0] : v;
}

export function parseResultParams(src: Source): ResultParams {
  const page = Number.parseInt(read(src, "page") ?? "", 10);
  const status = read(src, "status");
  return {
    page: Number.isFinite(page) && page >= 1 ? page : 1,
    status: status === "succeeded" || status === "failed" ? status : "all",
    q: (read(src, "q") ?? "").trim().slice(0, 200),
  };
}

/** The query string for a state, leaving defaults out so that URLs stay short. */
export function resultParamsQuery(p: Partial<ResultParams>): string {
  const s = new URLSearchParams();
  if (p.status && p.status !== "all") s.set("status", p.status);
  if (p.q) s.set("q", p.q);
  if (p.page && p.page > 1) s.set("page", String(p.page));
  const out = s.toString();
  return out ? `?${out}` : "";
}

export function parsePage(src: Source): number {
  const page = Number.parseInt(read(src, "page") ?? "", 10);
  return Number.isFinite(page) && page >= 1 ? page : 1;
}
