// The Files list's address read on the page: ?q= (part of the name), ?status=, ?type= and ?page=; a
// value it cannot use names itself (ParamError). What the filters write is list-filter.ts.
import { ParamError, pageParam, paramValue, type ParamSource } from "@/lib/http/params";
import { FILE_STATUSES, FILE_TYPES, type FileFilter } from "./list-filter";

export { fileListHref, hasFileFilter, type FileFilter } from "./list-filter";

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
