// What the engine's parts share about who holds a batch and what they did with it: the lease a sync
// or a launch holds (LeaseGuard, LAUNCH_STALE_MS), who acts (ActorContext), and the outcomes of a
// launch and a sync. Types and constants only, so that launch, sync, ingest, cancel and the worker
// import each other's words without importing each other.
import type { BatchStatus } from "@/lib/generated/prisma/enums";

/** A launch that has not recorded its provider batch after this long was interrupted (crash, restart). */
export const LAUNCH_STALE_MS = 15 * 60_000;

/** Lets a long sync stop writing once another instance has taken the batch over. */
export interface LeaseGuard {
  lost(): boolean;
}

/** Who launches or cancels: the part of the team context the engine needs (actions pass their TeamContext). */
export interface ActorContext {
  user: { id: string };
  team: { id: string };
}

export interface LaunchOutcome {
  batchId: string;
  /** false when the key had launched already (double click, retry): nothing new was sent. */
  created: boolean;
}

export interface SyncOutcome {
  status: BatchStatus;
  changed: boolean;
  ingested: boolean;
  /** Result lines read while the batch runs (providers with partial results). */
  partialLines?: number;
  error?: string;
}
