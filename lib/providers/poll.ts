// How often one batch of a connection is polled while it moves: the provider's own ask (its
// profile's pollIntervalMs: Doubleword 30 s, Bailian once a minute), 30 s where a provider says
// nothing, and never under POLL_FLOOR_MS whatever a profile says. An imitation in the sandbox polls
// at its provider's pace too, so a running build shows what the real service would see. Only
// SYNC_POLL_OVERRIDE_MS replaces it (tests and demos, with their fake providers and sandbox);
// SYNC_MIN_INTERVAL_MS and SYNC_MAX_INTERVAL_MS (lib/env.ts) bound the worker's back-off around it
// (batches/engine/sync.ts).
import type { ProviderProfile } from "./profile";

/** No provider is polled about one batch more often than this. */
export const POLL_FLOOR_MS = 5_000;
/** Where a provider's documents ask for no pace. */
export const DEFAULT_POLL_MS = 30_000;

/** The least time between two polls of one batch of this connection. */
export function pollEveryMs(profile: ProviderProfile, overrideMs?: number): number {
  if (overrideMs !== undefined) return overrideMs;
  return Math.max(POLL_FLOOR_MS, profile.capabilities.pollIntervalMs ?? DEFAULT_POLL_MS);
}
