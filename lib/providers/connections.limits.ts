// The limits a team sets on a "Custom OpenAI-compatible" connection (ProviderConnection.limits):
// a partial override of the profile's defaults, validated with zod when written and again when
// read, and the effective profile every check uses (upload, launch, the launch form, the upload
// panel). No server-only code: the launch form computes the same effective profile in the browser.
import { z } from "zod";
import { profileOf } from "./profiles";
import type { ProviderProfile } from "./profile";
import { acceptsWindow, windowHours } from "./windows";

const MB = 1024 * 1024;
const fmt = (n: number) => n.toLocaleString("en-US");

/** What may be overridden, and within which bounds (a typo of a zero should not pass). */
export const LIMIT_BOUNDS = {
  maxRequests: { min: 1, max: 1_000_000 },
  maxFileBytes: { min: 1024, max: 1024 * MB },
  maxLineBytes: { min: 1024, max: 1024 * MB },
  maxCustomIdLength: { min: 1, max: 1000 },
  windowHours: { min: 1, max: 8760 },
} as const;

/** The stored shape: every key optional (absent = the profile's default). */
export interface ConnectionLimits {
  maxRequests?: number;
  maxFileBytes?: number;
  maxLineBytes?: number;
  maxCustomIdLength?: number;
  oneModelPerBatch?: boolean;
  /** Endpoints this provider offers, a subset of the profile's. */
  endpoints?: string[];
  /** The completion window's duration rule: shortest and longest, in hours. */
  windowMinHours?: number;
  windowMaxHours?: number;
}

const int = (label: string, b: { min: number; max: number }, unit = "") =>
  z
    .number({ error: `${label} must be a number.` })
    .int(`${label} must be a whole number.`)
    .min(b.min, `${label} must be at least ${fmt(b.min)}${unit}.`)
    .max(b.max, `${label} must be at most ${fmt(b.max)}${unit}.`);

/** The stored JSON, as written and as read back. */
export function connectionLimitsSchema(kind: string) {
  const p = profileOf(kind);
  return z
    .object({
      maxRequests: int("Max requests", LIMIT_BOUNDS.maxRequests).optional(),
      maxFileBytes: int("Max file size", LIMIT_BOUNDS.maxFileBytes, " bytes").optional(),
      maxLineBytes: int("Max line size", LIMIT_BOUNDS.maxLineBytes, " bytes").optional(),
      maxCustomIdLength: int("custom_id max length", LIMIT_BOUNDS.maxCustomIdLength, " characters").optional(),
      oneModelPerBatch: z.boolean().optional(),
      endpoints: z
        .array(z.string())
        .min(1, "Allow at least one endpoint.")
        .refine((es) => es.every((e) => p.endpoints.includes(e)), `Endpoints must be among ${p.endpoints.join(", ")}.`)
        .optional(),
      windowMinHours: int("Shortest completion window", LIMIT_BOUNDS.windowHours, " hours").optional(),
      windowMaxHours: int("Longest completion window", LIMIT_BOUNDS.windowHours, " hours").optional(),
    })
    .strict()
    .superRefine((l, ctx) => {
      const e = effectiveLimitValues(p, l);
      if (e.maxLineBytes > e.maxFileBytes) {
        ctx.addIssue({
          code: "custom",
          path: [l.maxLineBytes !== undefined ? "maxLineBytes" : "maxFileBytes"],
          message: `Max line size (${mbText(e.maxLineBytes)}) cannot be over the max file size (${mbText(e.maxFileBytes)}).`,
        });
      }
      if (e.windowMinHours > e.windowMaxHours) {
        ctx.addIssue({
          code: "custom",
          path: [l.windowMinHours !== undefined ? "windowMinHours" : "windowMaxHours"],
          message: `The shortest completion window (${e.windowMinHours}h) cannot be longer than the longest (${e.windowMaxHours}h).`,
        });
      }
    });
}

const mbText = (bytes: number) => `${Number((bytes / MB).toFixed(3))} MB`;

function durationRule(p: ProviderProfile) {
  return p.windowRule.kind === "duration" ? p.windowRule : undefined;
}

/** The default and overridden values side by side (the form shows the defaults as placeholders). */
function effectiveLimitValues(p: ProviderProfile, l: ConnectionLimits) {
  const rule = durationRule(p);
  const maxFileBytes = l.maxFileBytes ?? p.limits.maxFileBytes;
  return {
    maxFileBytes,
    // A smaller file size alone lowers the line limit with it.
    maxLineBytes: l.maxLineBytes ?? Math.min(p.limits.maxLineBytes, maxFileBytes),
    windowMinHours: l.windowMinHours ?? rule?.minHours ?? 24,
    windowMaxHours: l.windowMaxHours ?? rule?.maxHours ?? 24,
  };
}

/** Which kinds take per-connection limits. */
export function hasEditableLimits(kind: string) {
  const p = profileOf(kind);
  return p.custom && p.capabilities.protocol === "openai-batch";
}

export type ReadLimits = { limits: ConnectionLimits | null; error?: string };

/**
 * A stored value, checked again on the way out: the rules may have tightened since it was written.
 * One that no longer parses falls back to the defaults (and says why, for the caller to log:
 * connections.limits.read.ts on the server):
 * a stale override must never block the team, nor silently loosen a check.
 */
export function parseStoredLimits(kind: string, stored: unknown): ReadLimits {
  if (stored === null || stored === undefined || !hasEditableLimits(kind)) return { limits: null };
  const r = connectionLimitsSchema(kind).safeParse(stored);
  if (r.success) return { limits: Object.keys(r.data).length ? r.data : null };
  return { limits: null, error: r.error.issues.map((i) => `${i.path.join(".") || "value"}: ${i.message}`).join("; ") };
}

/** Windows a launch form may offer under a duration rule: the usual ones that fit, else the bounds. */
const usualWindows = ["24h", "1h", "12h", "48h", "72h", "7d", "14d"];

/**
 * The profile a connection's checks use: its kind's profile with the connection's limits laid over
 * it. For a custom connection with overrides, messages name the connection ("Acme's limit of 10").
 */
export function effectiveProfile(kind: string, limits: ConnectionLimits | null | undefined, opts: { name?: string } = {}): ProviderProfile {
  const p = profileOf(kind);
  if (!limits || !p.custom || Object.keys(limits).length === 0) return p;
  const { endpoints, windowMinHours, windowMaxHours, ...rest } = limits;
  const rule = durationRule(p);
  const out: ProviderProfile = {
    ...p,
    label: opts.name ?? p.label,
    endpoints: endpoints ? p.endpoints.filter((e) => endpoints.includes(e)) : p.endpoints,
    limits: { ...p.limits, ...rest, maxLineBytes: effectiveLimitValues(p, limits).maxLineBytes },
  };
  if (rule && (windowMinHours !== undefined || windowMaxHours !== undefined)) {
    out.windowRule = { ...rule, minHours: windowMinHours ?? rule.minHours, maxHours: windowMaxHours ?? rule.maxHours };
    const bounds = [`${out.windowRule.minHours}h`, `${out.windowRule.maxHours}h`];
    // One spelling per duration ("7d", not also "168h").
    const seen = new Set<number>();
    const offered = [...p.completionWindows, ...usualWindows, ...bounds].filter((w) => {
      const h = windowHours(w);
      if (h === undefined || seen.has(h) || !acceptsWindow(out, w)) return false;
      seen.add(h);
      return true;
    });
    const def = offered.filter((w) => p.completionWindows.includes(w));
    const others = offered.filter((w) => !def.includes(w)).sort((a, b) => windowHours(a)! - windowHours(b)!);
    out.completionWindows = [...def, ...others];
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// The edit form's input: what a person types (MB, empty = default), turned into the stored shape.

// Numbers arrive as the text typed; limitsFromForm reads them, so every field's error comes at once.
const numberText = z.union([z.string().max(40), z.number()]).optional();

export const editLimitsInput = z.object({
  connectionId: z.string().min(1),
  maxRequests: numberText,
  maxFileMB: numberText,
  maxLineMB: numberText,
  maxCustomIdLength: numberText,
  oneModelPerBatch: z.boolean().optional(),
  endpoints: z.array(z.string().max(100)).max(20).optional(),
  windowMinHours: numberText,
  windowMaxHours: numberText,
});

const formLabels: Record<string, string> = {
  maxRequests: "Max requests",
  maxFileMB: "Max file size",
  maxLineMB: "Max line size",
  maxCustomIdLength: "custom_id max length",
  windowMinHours: "Shortest completion window",
  windowMaxHours: "Longest completion window",
};
export type EditLimitsInput = z.infer<typeof editLimitsInput>;
/** What the form sends: the text of each field (blank = the default). */
export interface EditLimitsForm {
  connectionId: string;
  maxRequests?: string;
  maxFileMB?: string;
  maxLineMB?: string;
  maxCustomIdLength?: string;
  oneModelPerBatch?: boolean;
  endpoints?: string[];
  windowMinHours?: string;
  windowMaxHours?: string;
  /** Forget every override. */
  reset?: boolean;
}

/** The form's field for each stored key, so a stored-shape error lands beside the right input. */
export const formFieldOf: Record<string, string> = {
  maxRequests: "maxRequests",
  maxFileBytes: "maxFileMB",
  maxLineBytes: "maxLineMB",
  maxCustomIdLength: "maxCustomIdLength",
  oneModelPerBatch: "oneModelPerBatch",
  endpoints: "endpoints",
  windowMinHours: "windowMinHours",
  windowMaxHours: "windowMaxHours",
};

const MB_BOUNDS = { min: LIMIT_BOUNDS.maxFileBytes.min / MB, max: LIMIT_BOUNDS.maxFileBytes.max / MB };

/**
 * The form's values as a stored override: only what differs from the defaults is kept, so a later
 * change of a default reaches connections that never touched it. Sizes in MB may have decimals.
 */
export function limitsFromForm(kind: string, input: EditLimitsInput): { limits?: ConnectionLimits; fieldErrors?: Record<string, string> } {
  const p = profileOf(kind);
  const fieldErrors: Record<string, string> = {};
  const num = (field: keyof typeof formLabels & keyof EditLimitsInput): number | undefined => {
    const v = input[field] as string | number | undefined;
    if (v === undefined || (typeof v === "string" && v.trim() === "")) return undefined;
    const n = typeof v === "number" ? v : Number(v.trim().replace(/[,_\s]/g, ""));
    if (!Number.isFinite(n)) {
      fieldErrors[field] = `${formLabels[field]} must be a number.`;
      return undefined;
    }
    return n;
  };
  const bytes = (mbValue: number | undefined, field: string, label: string) => {
    if (mbValue === undefined) return undefined;
    if (mbValue < MB_BOUNDS.min || mbValue > MB_BOUNDS.max) {
      fieldErrors[field] = `${label} must be from ${MB_BOUNDS.min.toFixed(3).replace(/0+$/, "")} MB (1 KB) to ${fmt(MB_BOUNDS.max)} MB.`;
      return undefined;
    }
    return Math.round(mbValue * MB);
  };
  const rule = durationRule(p);
  const candidate: ConnectionLimits = {
    maxRequests: num("maxRequests"),
    maxFileBytes: bytes(num("maxFileMB"), "maxFileMB", "Max file size"),
    maxLineBytes: bytes(num("maxLineMB"), "maxLineMB", "Max line size"),
    maxCustomIdLength: num("maxCustomIdLength"),
    oneModelPerBatch: input.oneModelPerBatch === undefined || input.oneModelPerBatch === p.limits.oneModelPerBatch ? undefined : input.oneModelPerBatch,
    endpoints: input.endpoints && !sameSet(input.endpoints, p.endpoints) ? input.endpoints : undefined,
    windowMinHours: num("windowMinHours"),
    windowMaxHours: num("windowMaxHours"),
  };
  if (candidate.windowMinHours === rule?.minHours) candidate.windowMinHours = undefined;
  if (candidate.windowMaxHours === rule?.maxHours) candidate.windowMaxHours = undefined;
  if (candidate.maxRequests === p.limits.maxRequests) candidate.maxRequests = undefined;
  if (candidate.maxFileBytes === p.limits.maxFileBytes) candidate.maxFileBytes = undefined;
  if (candidate.maxLineBytes === p.limits.maxLineBytes) candidate.maxLineBytes = undefined;
  const clean = Object.fromEntries(Object.entries(candidate).filter(([, v]) => v !== undefined)) as ConnectionLimits;
  const r = connectionLimitsSchema(kind).safeParse(clean);
  if (!r.success) {
    for (const i of r.error.issues) {
      const field = formFieldOf[String(i.path[0])] ?? "_";
      fieldErrors[field] ??= i.message.replace(/ (\d[\d,]*) bytes\./, (_m, n: string) => ` ${mbText(Number(n.replace(/,/g, "")))}.`);
    }
  }
  if (Object.keys(fieldErrors).length) return { fieldErrors };
  return { limits: clean };
}

function sameSet(a: string[], b: string[]) {
  return a.length === b.length && a.every((x) => b.includes(x));
}

// ---------------------------------------------------------------------------------------------
// Shown read-only on the providers page

export interface LimitRow {
  label: string;
  value: string;
  /** providers.md marks it (?): a default to confirm against the provider. */
  uncertain: boolean;
  /** Set by this connection rather than the profile. */
  custom?: boolean;
}

/** Which uncertain notes (profile.uncertain) speak of which row. */
const uncertainWords: Record<string, RegExp> = {
  endpoints: /endpoint/i,
  windows: /completion window/i,
  maxRequests: /max requests/i,
  maxFileBytes: /file size/i,
  oneModelPerBatch: /one model/i,
  metadata: /metadata/i,
};

/** The limits of a profile as rows of label and value, for the "Limits" disclosure. */
export function limitRows(p: ProviderProfile, custom: ConnectionLimits | null = null): LimitRow[] {
  const notes = p.uncertain ?? [];
  const unsure = (key: string) => !p.custom && notes.some((n) => uncertainWords[key]?.test(n));
  const mine = (key: keyof ConnectionLimits) => custom?.[key] !== undefined;
  const l = p.limits;
  const windows = p.windowRule.kind === "list" ? p.windowRule.values.join(", ") : `${p.windowRule.minHours}h to ${p.windowRule.maxHours}h`;
  const rows: LimitRow[] = [
    { label: "Max requests", value: fmt(l.maxRequests), uncertain: unsure("maxRequests"), custom: mine("maxRequests") },
    { label: "Max file size", value: mbText(l.maxFileBytes), uncertain: unsure("maxFileBytes"), custom: mine("maxFileBytes") },
    { label: "Max line size", value: mbText(l.maxLineBytes), uncertain: false, custom: mine("maxLineBytes") },
    {
      label: "custom_id",
      value: `unique${l.maxCustomIdLength ? `, at most ${fmt(l.maxCustomIdLength)} characters` : ""}${l.asciiCustomId ? ", ASCII" : ""}`,
      uncertain: false,
      custom: mine("maxCustomIdLength"),
    },
    { label: "One model per batch", value: l.oneModelPerBatch ? "yes" : "no", uncertain: unsure("oneModelPerBatch"), custom: mine("oneModelPerBatch") },
    { label: "Endpoints", value: p.endpoints.join(", "), uncertain: unsure("endpoints"), custom: mine("endpoints") },
    { label: "Completion windows", value: windows, uncertain: unsure("windows"), custom: mine("windowMinHours") || mine("windowMaxHours") },
  ];
  if (l.fileName) rows.push({ label: "File name", value: l.fileName.rule, uncertain: false });
  const dry = p.capabilities.dryRun;
  if (dry) rows.push({ label: "Free dry run", value: `${dry.model} on ${dry.endpoint}, at most ${dry.maxRequests} lines and ${mbText(dry.maxFileBytes)}`, uncertain: false });
  return rows;
}

/** The form's placeholders and current values, in the units the form uses. */
export function limitsFormValues(kind: string, custom: ConnectionLimits | null) {
  const p = profileOf(kind);
  const rule = durationRule(p);
  const mbOf = (b: number | undefined) => (b === undefined ? "" : String(Number((b / MB).toFixed(6))));
  return {
    defaults: {
      maxRequests: String(p.limits.maxRequests),
      maxFileMB: mbOf(p.limits.maxFileBytes),
      maxLineMB: mbOf(p.limits.maxLineBytes),
      maxCustomIdLength: String(p.limits.maxCustomIdLength ?? 512),
      oneModelPerBatch: p.limits.oneModelPerBatch,
      endpoints: p.endpoints,
      windowMinHours: String(rule?.minHours ?? ""),
      windowMaxHours: String(rule?.maxHours ?? ""),
    },
    values: {
      maxRequests: custom?.maxRequests !== undefined ? String(custom.maxRequests) : "",
      maxFileMB: mbOf(custom?.maxFileBytes),
      maxLineMB: mbOf(custom?.maxLineBytes),
      maxCustomIdLength: custom?.maxCustomIdLength !== undefined ? String(custom.maxCustomIdLength) : "",
      oneModelPerBatch: custom?.oneModelPerBatch ?? p.limits.oneModelPerBatch,
      endpoints: custom?.endpoints ?? p.endpoints,
      windowMinHours: custom?.windowMinHours !== undefined ? String(custom.windowMinHours) : "",
      windowMaxHours: custom?.windowMaxHours !== undefined ? String(custom.windowMaxHours) : "",
    },
  };
}
