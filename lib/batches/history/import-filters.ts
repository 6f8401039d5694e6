// The list filters a provider takes when its batch history is imported, and how each is checked.
// Which filters a provider takes comes from its profile (`capabilities.listBatches.filters`); this module
// says what each one means. No server-only code: the import page's filter form uses it too.
import type { ProviderProfile } from "@/lib/providers/profile";

export type FilterValues = Record<string, string>;

export interface FilterSpec {
  key: string;
  label: string;
  placeholder: string;
  help: string;
  /** Checks one value; answers the problem, or undefined when it is fine. */
  check(value: string, p: ProviderProfile, now?: Date): string | undefined;
}

/** Paging is the importer's own business: it walks every page. */
export const PAGING_FILTERS = ["after", "limit", "after_id", "before_id"];

export const PROVIDER_STATUSES = ["validating", "in_progress", "finalizing", "completed", "failed", "expired", "cancelling", "cancelled"];

const compact = /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})$/;

/** yyyyMMddHHmmss as a UTC date, or undefined when it is not one (20250230... is not). */
export function parseCompactDate(v: string): Date | undefined {
  const m = compact.exec(v);
  if (!m) return undefined;
  const d = new Date(Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5], +m[6]));
  return d.getUTCMonth() === +m[2] - 1 && d.getUTCDate() === +m[3] && +m[4] < 24 && +m[5] < 60 && +m[6] < 60 ? d : undefined;
}

export function toCompactDate(d: Date): string {
  return d.toISOString().replace(/[-:T]/g, "").slice(0, 14);
}

function compactDateCheck(key: string) {
  return (v: string, p: ProviderProfile, now = new Date()) => {
    const d = parseCompactDate(v);
    if (!d) return `${key} must be a date as yyyyMMddHHmmss (UTC), e.g. ${toCompactDate(now)}; "${v}" is not.`;
    // A provider that answers for recent batches only (Bailian: 30 days) would list nothing.
    const days = p.capabilities.listBatches?.maxAgeDays;
    const oldest = days === undefined ? undefined : new Date(now.getTime() - days * 86_400_000);
    if (key === "create_before" && oldest && d < oldest) {
      return `${p.label} keeps only the last ${days} days of batches: create_before must be after ${toCompactDate(oldest)}.`;
    }
    return undefined;
  };
}

function isoCheck(key: string) {
  return (v: string) =>
    /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/.test(v) && !Number.isNaN(Date.parse(v))
      ? undefined
      : `${key} must be an ISO 8601 date, e.g. 2026-01-31 or 2026-01-31T12:00:00Z; "${v}" is not.`;
}

function statusCheck(v: string, p: ProviderProfile) {
  const list = v.split(",").map((s) => s.trim()).filter(Boolean);
  if (list.length === 0) return "status needs at least one status.";
  if (list.length > 1 && !p.capabilities.listBatches?.multiStatus) return `${p.label} takes one status at a time.`;
  const bad = list.filter((s) => !PROVIDER_STATUSES.includes(s.toLowerCase()));
  return bad.length ? `Unknown status ${bad.map((s) => `"${s}"`).join(", ")}: use ${PROVIDER_STATUSES.join(", ")}.` : undefined;
}

export const filterSpecs: Record<string, FilterSpec> = {
  ds_name: {
    key: "ds_name",
    label: "Task name contains",
    placeholder: "e.g. nightly-eval",
    help: "Part of the batch's name (its ds_name metadata).",
    check: (v) => (v.length > 100 ? `ds_name is at most 100 characters; this one has ${v.length}.` : undefined),
  },
  search: {
    key: "search",
    label: "Search",
    placeholder: "Text to look for",
    help: "Doubleword's own search over its batches.",
    check: (v) => (v.length > 200 ? `search is at most 200 characters; this one has ${v.length}.` : undefined),
  },
  status: {
    key: "status",
    label: "Status",
    placeholder: "e.g. completed",
    help: "A provider status; Bailian takes a comma list (completed,failed).",
    check: statusCheck,
  },
  input_file_ids: {
    key: "input_file_ids",
    label: "Input file ids",
    placeholder: "file-batch-…, file-batch-…",
    help: "A comma list of at most 20 input file ids.",
    check: (v) => {
      const ids = v.split(",").map((s) => s.trim()).filter(Boolean);
      if (ids.length === 0) return "input_file_ids needs at least one id.";
      return ids.length > 20 ? `input_file_ids takes at most 20 ids; this list has ${ids.length}.` : undefined;
    },
  },
  create_after: {
    key: "create_after",
    label: "Created after",
    placeholder: "yyyyMMddHHmmss",
    help: "UTC, as yyyyMMddHHmmss. Bailian answers for the last 30 days only.",
    check: compactDateCheck("create_after"),
  },
  create_before: {
    key: "create_before",
    label: "Created before",
    placeholder: "yyyyMMddHHmmss",
    help: "UTC, as yyyyMMddHHmmss.",
    check: compactDateCheck("create_before"),
  },
  created_after: {
    key: "created_after",
    label: "Created after",
    placeholder: "2026-01-31T00:00:00Z",
    help: "An ISO 8601 date or time.",
    check: isoCheck("created_after"),
  },
  created_before: {
    key: "created_before",
    label: "Created before",
    placeholder: "2026-01-31T00:00:00Z",
    help: "An ISO 8601 date or time.",
    check: isoCheck("created_before"),
  },
};

/** The filters a person may set for this profile (paging left out), in the profile's order. */
export function userFilters(p: ProviderProfile): FilterSpec[] {
  return (p.capabilities.listBatches?.filters ?? []).filter((k) => !PAGING_FILTERS.includes(k) && filterSpecs[k]).map((k) => filterSpecs[k]);
}

/**
 * The filters to send, trimmed and without empty ones, and what is wrong with them per field.
 * A filter the profile does not take is refused by name rather than silently dropped.
 */
export function checkFilters(p: ProviderProfile, values: FilterValues, now = new Date()) {
  const allowed = userFilters(p).map((s) => s.key);
  const query: FilterValues = {};
  const errors: Record<string, string> = {};
  for (const [key, raw] of Object.entries(values)) {
    const v = raw.trim();
    if (v === "") continue;
    if (!allowed.includes(key)) {
      errors[key] = allowed.length
        ? `${p.label} does not take the filter "${key}"; it takes ${allowed.join(", ")}.`
        : `${p.label} takes no list filters ("${key}" was given): its whole history is listed.`;
      continue;
    }
    const problem = filterSpecs[key].check(v, p, now);
    if (problem) errors[key] = problem;
    else query[key] = key === "status" || key === "input_file_ids" ? v.split(",").map((s) => s.trim()).filter(Boolean).join(",") : v;
  }
  return { query, errors };
}
