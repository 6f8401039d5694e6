// The parameters of an address (query and path), read the same strict way by every route and page:
// a NUL in any of them (PostgreSQL cannot take one, and a search cut at it would be another search,
// or an export cut short) and a number that is not a whole number within its range ("page=1e400",
// "limit=abc", twenty digits) are refused with a ParamError naming the parameter, which routes
// answer with 400 and pages show as a message (components/ui/bad-address.tsx). Enumerations keep
// their lenient parsing (an unknown status is "all"), in the modules that own them.
import { UserError } from "@/lib/errors";

/** URLSearchParams, a page's awaited searchParams, or a route's path params. */
export type ParamSource = URLSearchParams | Record<string, string | string[] | undefined>;

export class ParamError extends UserError {
  constructor(
    readonly param: string,
    message: string,
  ) {
    super(message);
    this.name = "ParamError";
  }
}

/** The most pages a list may be asked for: far past any real list, and every OFFSET stays small. */
export const MAX_PAGE = 100_000;

const fmt = (n: number) => n.toLocaleString("en-US");
/** A value as a message quotes it: short, and with its NUL shown as JSON escapes it. */
const quoted = (v: string) => JSON.stringify(v.length > 40 ? `${v.slice(0, 40)}…` : v);

function entries(src: ParamSource): [string, string][] {
  if (src instanceof URLSearchParams) return [...src.entries()];
  return Object.entries(src).flatMap(([k, v]) => (v === undefined ? [] : Array.isArray(v) ? v.map((x) => [k, x] as [string, string]) : [[k, v] as [string, string]]));
}

/** The first value of `name`, or undefined. */
export function paramValue(src: ParamSource, name: string): string | undefined {
  if (src instanceof URLSearchParams) return src.get(name) ?? undefined;
  const v = src[name];
  return Array.isArray(v) ? v[0] : v;
}

/** The error for the first parameter whose name or value holds a NUL, or null. */
export function nulParam(src: ParamSource): ParamError | null {
  for (const [name, value] of entries(src)) {
    if (name.includes("\u0000") || value.includes("\u0000")) {
      return new ParamError(name, `The parameter ${quoted(name)} holds a NUL character (%00), which cannot be searched for or stored. Remove it from the address.`);
    }
  }
  return null;
}

/** Refuses a NUL in any parameter's name or value. */
export function assertCleanParams(src: ParamSource): void {
  const err = nulParam(src);
  if (err) throw err;
}

/**
 * A whole number from `min` to `max`, written as plain digits; absent or empty gives `fallback`.
 * "-1", "1e400", "1.5", "abc" and numbers past `max` are refused, naming the parameter and its range.
 */
export function intParam<F extends number | undefined>(src: ParamSource, name: string, range: { min: number; max: number; fallback: F }): number | F {
  const raw = paramValue(src, name);
  if (raw === undefined || raw.trim() === "") return range.fallback;
  const v = raw.trim();
  // Digits only, and no more than max has: Number() would read "1e400", "0x10" and " 12 ".
  const n = /^\d{1,16}$/.test(v) ? Number(v) : NaN;
  if (!(n >= range.min && n <= range.max)) {
    throw new ParamError(name, `The parameter ${quoted(name)} must be a whole number from ${fmt(range.min)} to ${fmt(range.max)}; ${quoted(raw)} is not.`);
  }
  return n;
}

/** ?page=: 1 when absent, else 1 to MAX_PAGE. */
export function pageParam(src: ParamSource, name = "page"): number {
  return intParam(src, name, { min: 1, max: MAX_PAGE, fallback: 1 });
}

/** Runs a page's reading of its parameters: the value, or the ParamError to show. */
export function readParams<T>(read: () => T): { ok: true; value: T } | { ok: false; error: ParamError } {
  try {
    return { ok: true, value: read() };
  } catch (err) {
    if (err instanceof ParamError) return { ok: false, error: err };
    throw err;
  }
}
