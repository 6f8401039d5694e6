// The Audit page's filters, read from its address the strict way (lib/http/params.ts): the same
// parameters filter the page and its CSV export, so "Export CSV" downloads exactly what is shown.
//   action=<action>  actor=<user id>  type=<object type>  from=YYYY-MM-DD  to=YYYY-MM-DD (UTC days,
//   both included)  q=<text in the actor, token, address, object or action>  after=<cursor>
import { assertCleanParams, ParamError, paramValue, type ParamSource } from "@/lib/http/params";

export interface AuditFilters {
  action?: string;
  actor?: string;
  type?: string;
  from?: string;
  to?: string;
  q?: string;
}

export interface AuditParams extends AuditFilters {
  /** The id of the last row of the previous page (newest first). */
  after?: string;
}

const DAY = /^\d{4}-\d{2}-\d{2}$/;

function day(src: ParamSource, name: "from" | "to"): string | undefined {
  const v = paramValue(src, name)?.trim();
  if (!v) return undefined;
  if (!DAY.test(v) || Number.isNaN(Date.parse(`${v}T00:00:00Z`)) || new Date(`${v}T00:00:00Z`).toISOString().slice(0, 10) !== v) {
    throw new ParamError(name, `The parameter "${name}" must be a day written YYYY-MM-DD, such as 2026-12-06; "${v.slice(0, 40)}" is not.`);
  }
  return v;
}

function text(src: ParamSource, name: string, max: number): string | undefined {
  const v = paramValue(src, name)?.trim();
  if (!v) return undefined;
  if (v.length > max) throw new ParamError(name, `The parameter "${name}" may hold at most ${max} characters.`);
  return v;
}

export function parseAuditParams(src: ParamSource): AuditParams {
  assertCleanParams(src);
  const p: AuditParams = {
    action: text(src, "action", 100),
    actor: text(src, "actor", 100),
    type: text(src, "type", 100),
    from: day(src, "from"),
    to: day(src, "to"),
    q: text(src, "q", 200),
  };
  if (p.from && p.to && p.from > p.to) throw new ParamError("to", `The day "to" (${p.to}) comes before "from" (${p.from}): swap them.`);
  const after = paramValue(src, "after")?.trim();
  if (after) {
    if (!/^\d{1,18}$/.test(after)) throw new ParamError("after", `The parameter "after" is not a position in this log: open the newest entries instead.`);
    p.after = after;
  }
  return p;
}

/** The filters as a query string ("" when none), for links and the export's address. */
export function auditQuery(f: AuditParams): string {
  const sp = new URLSearchParams();
  for (const k of ["action", "actor", "type", "from", "to", "q", "after"] as const) if (f[k]) sp.set(k, f[k]!);
  const s = sp.toString();
  return s ? `?${s}` : "";
}

/** "connection.key_replaced" as people read it: "Connection key replaced". */
export function actionLabel(action: string): string {
  const s = action.replace(/[._]+/g, " ").trim();
  return s.charAt(0).toUpperCase() + s.slice(1);
}
