// How much a connection may run at once: the provider's per-model enqueued-token limit (OpenAI:
// "each model has a maximum number of enqueued prompt tokens", set per usage tier) and its limit
// of unfinished batches (Bailian: 1000 tasks). The defaults are profile data (profile.queue); a
// team sets its own per connection (ProviderConnection.queueLimits, the connections page's "Queue
// limits" form): a usage tier that pre-fills the per-model limits, its own per-model numbers over
// those, and an unfinished-batch limit. Launches and the worker read the effective limits
// (lib/batches/queue.ts) and queue what does not fit. No server-only code: the form and the launch
// form read it too.
import { z } from "zod";
import { profileOf } from "./profiles";
import type { ProviderProfile } from "./profile";

const fmt = (n: number) => n.toLocaleString("en-US");

/** What a team stores on a connection; every key optional (absent: the profile's default). */
export interface QueueLimits {
  /** The usage tier whose per-model limits pre-fill the table (profile.queue.tiers). */
  tier?: string;
  /** The team's own enqueued-token limit per model, over the tier's. */
  enqueuedTokens?: Record<string, number>;
  /** Batches not yet ended that may be on the provider at once. */
  maxUnfinished?: number;
}

export interface EffectiveQueueLimits {
  tier: string | null;
  /** Per model (as the provider names it; a dated snapshot falls under its base name). */
  enqueuedTokens: Record<string, number>;
  maxUnfinished: number | null;
}

export const QUEUE_BOUNDS = { tokens: { min: 1000, max: 1e13 }, unfinished: { min: 1, max: 100_000 } } as const;

export function queueLimitsSchema(kind: string) {
  const q = profileOf(kind).queue;
  return z
    .object({
      tier: z
        .string()
        .refine((t) => Boolean(q?.tiers?.names.includes(t)), { message: `Choose one of the usage tiers ${q?.tiers?.names.join(", ") ?? "(this provider has none)"}.` })
        .optional(),
      enqueuedTokens: z
        .record(
          z.string().min(1, "Name the model.").max(100, "A model name is at most 100 characters."),
          z
            .number({ error: "Enqueued tokens must be a number." })
            .int("Enqueued tokens must be a whole number.")
            .min(QUEUE_BOUNDS.tokens.min, `Enqueued tokens must be at least ${fmt(QUEUE_BOUNDS.tokens.min)}.`)
            .max(QUEUE_BOUNDS.tokens.max, `Enqueued tokens must be at most ${fmt(QUEUE_BOUNDS.tokens.max)}.`),
        )
        .refine((r) => Object.keys(r).length <= 50, "At most 50 models.")
        .optional(),
      maxUnfinished: z
        .number({ error: "Unfinished batches must be a number." })
        .int("Unfinished batches must be a whole number.")
        .min(QUEUE_BOUNDS.unfinished.min, `Unfinished batches must be at least ${QUEUE_BOUNDS.unfinished.min}.`)
        .max(QUEUE_BOUNDS.unfinished.max, `Unfinished batches must be at most ${fmt(QUEUE_BOUNDS.unfinished.max)}.`)
        .optional(),
    })
    .strict();
}

/** A stored value read back; one that no longer parses counts as none (the defaults apply). */
export function parseQueueLimits(kind: string, stored: unknown): QueueLimits | null {
  if (stored === null || stored === undefined) return null;
  const r = queueLimitsSchema(kind).safeParse(stored);
  return r.success ? r.data : null;
}

/** The tier's limits of a profile, model by model (a tier without a documented value leaves it out). */
export function tierLimits(p: ProviderProfile, tier: string | null | undefined): Record<string, number> {
  const t = p.queue?.tiers;
  if (!t || !tier) return {};
  const i = t.names.indexOf(tier);
  if (i < 0) return {};
  const out: Record<string, number> = {};
  for (const [model, values] of Object.entries(t.models)) {
    const v = values[i];
    if (typeof v === "number") out[model] = v;
  }
  return out;
}

/** The limits launches on this connection keep to. */
export function effectiveQueueLimits(kind: string, own: QueueLimits | null | undefined): EffectiveQueueLimits {
  const p = profileOf(kind);
  const tier = own?.tier ?? p.queue?.tiers?.default ?? null;
  return {
    tier,
    enqueuedTokens: { ...tierLimits(p, tier), ...(own?.enqueuedTokens ?? {}) },
    maxUnfinished: own?.maxUnfinished ?? p.capabilities.rateLimits?.maxUnfinished ?? null,
  };
}

/**
 * The enqueued-token limit a model falls under: its own name, else the longest listed name it
 * extends with "-" (a dated snapshot "gpt-4o-mini-2024-07-18" falls under "gpt-4o-mini", never
 * under "gpt-4o" while "gpt-4o-mini" is listed). Undefined: no limit known for it.
 */
export function limitForModel(limits: Record<string, number>, model: string): { name: string; tokens: number } | undefined {
  if (limits[model] !== undefined) return { name: model, tokens: limits[model] };
  let best: string | undefined;
  for (const name of Object.keys(limits)) {
    if (model.startsWith(`${name}-`) && (!best || name.length > best.length)) best = name;
  }
  return best ? { name: best, tokens: limits[best] } : undefined;
}

/** "1.2M", "90K", "15B": token counts as the reasons and the form say them. */
export function shortTokens(n: number): string {
  const units: [number, string][] = [
    [1e12, "T"],
    [1e9, "B"],
    [1e6, "M"],
    [1e3, "K"],
  ];
  for (const [size, unit] of units) if (n >= size) return `${Number((n / size).toFixed(n >= size * 100 ? 0 : 1))}${unit}`;
  return String(n);
}

// ---------------------------------------------------------------------------------------------
// The form: what a person types, turned into the stored shape.

export const editQueueLimitsInput = z.object({
  connectionId: z.string().min(1),
  tier: z.string().max(40).optional(),
  /** "model = tokens" per line, as typed. */
  enqueuedTokens: z.string().max(10_000).optional(),
  maxUnfinished: z.string().max(40).optional(),
  reset: z.boolean().optional(),
});
export type EditQueueLimitsInput = z.infer<typeof editQueueLimitsInput>;

const number = (s: string) => Number(s.trim().replace(/[,_\s]/g, ""));

/** The form's text as stored limits: only what differs from the defaults is kept; errors per field. */
export function queueLimitsFromForm(kind: string, input: EditQueueLimitsInput): { limits?: QueueLimits; fieldErrors?: Record<string, string> } {
  const p = profileOf(kind);
  const fieldErrors: Record<string, string> = {};
  const out: QueueLimits = {};
  const tier = input.tier?.trim();
  if (tier && tier !== (p.queue?.tiers?.default ?? "")) out.tier = tier;
  const tierValues = tierLimits(p, tier || p.queue?.tiers?.default);
  const lines = (input.enqueuedTokens ?? "").split("\n").map((l) => l.trim());
  const own: Record<string, number> = {};
  lines.forEach((l, i) => {
    if (!l) return;
    const m = /^([^=:\s]+)\s*[=:]\s*([\d,_\s.]+)$/.exec(l);
    if (!m) {
      fieldErrors.enqueuedTokens ??= `Line ${i + 1} ("${l.slice(0, 40)}") is not "model = tokens", e.g. "gpt-4o-mini = 2000000".`;
      return;
    }
    const n = number(m[2]);
    if (!Number.isFinite(n)) fieldErrors.enqueuedTokens ??= `Line ${i + 1}: ${m[2]} is not a number.`;
    else if (tierValues[m[1]] !== n) own[m[1]] = n;
  });
  if (Object.keys(own).length) out.enqueuedTokens = own;
  const unfinished = input.maxUnfinished?.trim();
  if (unfinished) {
    const n = number(unfinished);
    if (!Number.isFinite(n)) fieldErrors.maxUnfinished = "Unfinished batches must be a number.";
    else if (n !== p.capabilities.rateLimits?.maxUnfinished) out.maxUnfinished = n;
  }
  const r = queueLimitsSchema(kind).safeParse(out);
  if (!r.success) {
    for (const i of r.error.issues) {
      const field = String(i.path[0] ?? "_");
      fieldErrors[field] ??= i.path.length > 1 ? `${String(i.path[1])}: ${i.message}` : i.message;
    }
  }
  return Object.keys(fieldErrors).length ? { fieldErrors } : { limits: out };
}

/** The form's values: the tiers to choose from, each tier's table (to pre-fill), and the team's own numbers. */
export function queueLimitsFormValues(kind: string, own: QueueLimits | null) {
  const p = profileOf(kind);
  const tiers = p.queue?.tiers;
  const eff = effectiveQueueLimits(kind, own);
  return {
    tiers: tiers ? tiers.names.map((name) => ({ name, limits: tierLimits(p, name) })) : [],
    tierSource: tiers?.source ?? null,
    defaults: { tier: tiers?.default ?? "", maxUnfinished: p.capabilities.rateLimits?.maxUnfinished ?? null },
    values: {
      tier: eff.tier ?? "",
      enqueuedTokens: Object.entries(eff.enqueuedTokens)
        .map(([m, n]) => `${m} = ${n}`)
        .join("\n"),
      maxUnfinished: own?.maxUnfinished !== undefined ? String(own.maxUnfinished) : "",
    },
  };
}

/** Whether a kind has anything to queue for (the form is offered then). */
export function hasQueueLimits(kind: string) {
  const p = profileOf(kind);
  return p.capabilities.split || Boolean(p.queue);
}
