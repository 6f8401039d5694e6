// The registry of provider kinds: every kind's profile (its folder's profile.ts), by kind. Adding a
// provider is a folder lib/providers/<kind>/ with its profile.ts (and imitation.ts, listed in
// imitations.ts) plus one line here; its protocol picks the adapter (adapters.ts). No server-only
// code: the launch form, the upload panel and the limits form import it.
import { anthropicProfile } from "./anthropic/profile";
import { anthropicCompatibleProfile } from "./anthropic-compatible/profile";
import { bailianProfile } from "./bailian/profile";
import { doublewordProfile } from "./doubleword/profile";
import { groqProfile } from "./groq/profile";
import { moonshotProfile } from "./moonshot/profile";
import { openaiProfile } from "./openai/profile";
import { openaiCompatibleProfile } from "./openai-compatible/profile";
import { MB, type ProviderLimits, type ProviderProfile } from "./profile";
import { sandboxProfile } from "./sandbox/profile";
import { togetherProfile } from "./together/profile";

export const profiles: Record<string, ProviderProfile> = {
  sandbox: sandboxProfile,
  openai: openaiProfile,
  doubleword: doublewordProfile,
  moonshot: moonshotProfile,
  bailian: bailianProfile,
  groq: groqProfile,
  together: togetherProfile,
  anthropic: anthropicProfile,
  "anthropic-compatible": anthropicCompatibleProfile,
  "openai-compatible": openaiCompatibleProfile,
};

export function profileOf(kind: string): ProviderProfile {
  const p = profiles[kind];
  if (!p) throw new Error(`Unknown provider kind: ${kind}`);
  return p;
}

/** The kinds whose batches speak a protocol: each API of Batchboard's lists only its own protocol's batches. */
export const kindsSpeaking = (protocol: ProviderProfile["capabilities"]["protocol"]): string[] =>
  Object.values(profiles)
    .filter((p) => p.capabilities.protocol === protocol)
    .map((p) => p.kind);

/** The built-in Sandbox's kind: made with every team, listed first, never added, renamed or removed. */
export const isBuiltInKind = (kind: string | null | undefined): boolean => !!kind && profiles[kind]?.builtIn === true;

// ---------------------------------------------------------------------------------------------
// The sandbox's imitations: a connection of any kind may run on the built-in sandbox in the mode
// that imitates that provider (imitations.ts), with no key and no cost. Its base URL is stored as
// "builtin:<mode>" and resolved to this app's own /api/sandbox/<mode> at call time.

/** The sandbox mode that imitates a kind (every kind a person may add has one). */
export const sandboxModeOf = (kind: string): string | undefined => profiles[kind]?.sandboxMode;
export const SANDBOX_TARGET = "builtin:";
/** A base URL that names the sandbox: "builtin" (the Sandbox connection) or "builtin:<mode>". */
export const isSandboxTarget = (baseUrl: string) => baseUrl === "builtin" || baseUrl.startsWith(SANDBOX_TARGET);

// ---------------------------------------------------------------------------------------------
// Upload limits

/** Batchboard's own cap on a custom_id where a provider states none (it is stored and shown). */
const DEFAULT_MAX_CUSTOM_ID = 512;

/**
 * The loosest limits of a set of profiles: each limit on its own is the most any of them allows
 * (a 7 MB line passes, since OpenAI takes one), and a rule binds only when every profile has it.
 * What a file must meet before a provider is chosen: no provider could take what fails these.
 */
export function loosest(ps: ProviderProfile[]): ProviderLimits {
  const max = (pick: (l: ProviderLimits) => number) => Math.max(...ps.map((p) => pick(p.limits)));
  return {
    maxRequests: max((l) => l.maxRequests),
    maxFileBytes: max((l) => l.maxFileBytes),
    maxLineBytes: max((l) => l.maxLineBytes),
    maxCustomIdLength: max((l) => l.maxCustomIdLength ?? DEFAULT_MAX_CUSTOM_ID),
    asciiCustomId: ps.every((p) => p.limits.asciiCustomId === true),
    oneModelPerBatch: ps.every((p) => p.limits.oneModelPerBatch),
  };
}

/** Limits that hold for a file before any provider is chosen ("Any provider"): the loosest of every profile's. */
export const uploadLimits: ProviderLimits = loosest(Object.values(profiles));

/** The limits an upload checks a file against when it is meant for this profile. */
export function uploadLimitsFor(p: ProviderProfile): ProviderLimits {
  return { ...p.limits, maxCustomIdLength: p.limits.maxCustomIdLength ?? DEFAULT_MAX_CUSTOM_ID };
}

// ---------------------------------------------------------------------------------------------
// Job limits: a file over a provider's per-batch limits is launched as a job of parts
// (lib/batches/split.ts), so where the target can split, the upload holds the file's request count
// and size to Batchboard's own limits on a job instead; every per-request limit (line size,
// custom_id, models, endpoint rules) stays the provider's.

/** Batchboard's own limits on one file launched as a job of parts, and the most parts a job may have (split.ts MAX_PARTS). */
export const JOB_LIMITS = { maxRequests: 2_000_000, maxFileBytes: 2 * 1024 * MB, maxParts: 200 } as const;

/** The request count and size a whole file may reach. */
export type FileSizeLimits = Pick<ProviderLimits, "maxRequests" | "maxFileBytes">;

/**
 * What a file may hold when it is launched as a job of parts each within `perBatch`: Batchboard's
 * job limits, or what JOB_LIMITS.maxParts batches hold when that is less (a connection whose team
 * set 10 requests a batch takes files of 2,000). null when the target cannot split: the file must
 * then fit one batch.
 */
export function jobLimitsFor(perBatch: FileSizeLimits, canSplit: boolean): FileSizeLimits | null {
  if (!canSplit) return null;
  return {
    maxRequests: Math.min(JOB_LIMITS.maxRequests, perBatch.maxRequests * JOB_LIMITS.maxParts),
    maxFileBytes: Math.min(JOB_LIMITS.maxFileBytes, perBatch.maxFileBytes * JOB_LIMITS.maxParts),
  };
}

/** A file for any provider may be a job when any of them can split it. */
export const anyProviderJobLimits: FileSizeLimits | null = jobLimitsFor(uploadLimits, Object.values(profiles).some((p) => p.capabilities.split));
