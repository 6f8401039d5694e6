// One batch of the team as its page shows it: status, counts, timestamps, the connection and file
// it ran on, its results by outcome, and its progress snapshots thinned for the chart. Every read
// takes the team id, so another team's batch is simply not found. Plain JSON (dates as ISO
// strings) so that the page can hand it to react-query as initial data and GET /api/batches/:id
// can send the very same object.
import "server-only";
import type { Db } from "@/lib/db/client";
import { iso } from "@/lib/db/paging";
import type { BatchStatus } from "@/lib/generated/prisma/enums";
import { profiles } from "@/lib/providers/profiles";
import { isTerminal } from "@/lib/providers/status";
import { countResults } from "@/lib/results/browse";
import { batchUsage } from "@/lib/usage/rollup";

export interface SnapshotPoint {
  at: string;
  status: BatchStatus;
  total: number;
  completed: number;
  failed: number;
}

export interface BatchView {
  id: string;
  name: string;
  description: string | null;
  status: BatchStatus;
  rawStatus: string | null;
  endpoint: string;
  completionWindow: string;
  providerBatchId: string | null;
  outputFileId: string | null;
  errorFileId: string | null;
  errors: unknown;
  total: number;
  completed: number;
  failed: number;
  createdAt: string;
  providerCreatedAt: string | null;
  inProgressAt: string | null;
  finalizingAt: string | null;
  completedAt: string | null;
  failedAt: string | null;
  expiredAt: string | null;
  cancellingAt: string | null;
  cancelledAt: string | null;
  expiresAt: string | null;
  lastPolledAt: string | null;
  /** When the sync worker checks the batch next; null once there is nothing left to check. */
  nextPollAt: string | null;
  lastSyncError: string | null;
  resultsIngestedAt: string | null;
  resultCount: number;
  /** Brought in from the provider's own history (import), not launched here. */
  importedAt: string | null;
  /** A free test run on the provider's test model (Bailian's batch-test-model). */
  dryRun: boolean;
  connection: { id: string; name: string; kind: string; providerLabel: string };
  inputFile: { id: string; name: string; requestCount: number };
  createdBy: string | null;
  /** "Browser", "API (token name)" or "Imported": where the batch came from (in English, for the API). */
  source: string;
  /** The same, for a page to word: the kind, and the API token's name. */
  origin: { kind: "browser" | "api" | "import"; token: string | null };
  parent: { id: string; name: string } | null;
  /** Result rows stored so far, by outcome (the filter tabs' numbers). */
  resultCounts: { all: number; succeeded: number; failed: number };
  terminal: boolean;
  /** Whether the page should keep polling: still running, or finished with results not yet stored. */
  live: boolean;
  snapshots: SnapshotPoint[];
  /** What its stored results came to so far (lib/usage/rollup.ts). */
  usage: { tokens: number; results: number; cost: { currency: string; amount: number }[] };
}

/** The chart needs the shape of the curve, not every poll of a day-long batch. */
const MAX_CHART_POINTS = 400;

/** Is there anything still to wait for? Terminal batches with files not yet ingested still are. */
export function isLive(b: { status: BatchStatus; resultsIngestedAt: Date | string | null; outputFileId: string | null; errorFileId: string | null }) {
  if (!isTerminal(b.status)) return true;
  return !b.resultsIngestedAt && Boolean(b.outputFileId || b.errorFileId);
}

/** One batch of the team with what its page shows beside it; null when absent or another team's. */
export async function getBatch(prisma: Db, teamId: string, id: string) {
  return prisma.batch.findFirst({
    where: { id, teamId },
    include: {
      connection: { select: { id: true, name: true, kind: true } },
      inputFile: { select: { id: true, name: true, requestCount: true } },
      createdBy: { select: { name: true } },
      apiToken: { select: { name: true } },
      parent: { select: { id: true, name: true } },
    },
  });
}

export async function getBatchView(prisma: Db, teamId: string, id: string): Promise<BatchView | null> {
  const b = await getBatch(prisma, teamId, id);
  if (!b) return null;
  const [snapshots, resultCounts, usage] = await Promise.all([
    prisma.batchSnapshot.findMany({
      where: { batchId: b.id },
      orderBy: { at: "asc" },
      select: { at: true, status: true, total: true, completed: true, failed: true },
    }),
    countResults(prisma, b.id),
    batchUsage(prisma, teamId, b.id),
  ]);
  return {
    id: b.id,
    name: b.name,
    description: b.description,
    status: b.status,
    rawStatus: b.rawStatus,
    endpoint: b.endpoint,
    completionWindow: b.completionWindow,
    providerBatchId: b.providerBatchId,
    outputFileId: b.outputFileId,
    errorFileId: b.errorFileId,
    errors: b.errors ?? null,
    total: b.total,
    completed: b.completed,
    failed: b.failed,
    createdAt: b.createdAt.toISOString(),
    providerCreatedAt: iso(b.providerCreatedAt),
    inProgressAt: iso(b.inProgressAt),
    finalizingAt: iso(b.finalizingAt),
    completedAt: iso(b.completedAt),
    failedAt: iso(b.failedAt),
    expiredAt: iso(b.expiredAt),
    cancellingAt: iso(b.cancellingAt),
    cancelledAt: iso(b.cancelledAt),
    expiresAt: iso(b.expiresAt),
    lastPolledAt: iso(b.lastPolledAt),
    nextPollAt: iso(b.nextPollAt),
    lastSyncError: b.lastSyncError,
    resultsIngestedAt: iso(b.resultsIngestedAt),
    resultCount: b.resultCount,
    importedAt: iso(b.importedAt),
    dryRun: b.dryRun,
    connection: { ...b.connection, providerLabel: profiles[b.connection.kind]?.label ?? b.connection.kind },
    inputFile: b.inputFile,
    createdBy: b.createdBy?.name ?? null,
    source: b.source === "api" ? `API${b.apiToken ? ` (token "${b.apiToken.name}")` : ""}` : b.source === "import" ? "Imported" : "Browser",
    origin: { kind: b.source === "api" ? "api" : b.source === "import" ? "import" : "browser", token: b.apiToken?.name ?? null },
    parent: b.parent,
    resultCounts,
    terminal: isTerminal(b.status),
    live: isLive(b),
    snapshots: thin(snapshots).map((s) => ({ ...s, at: s.at.toISOString() })),
    usage,
  };
}

/** Keeps at most MAX_CHART_POINTS evenly spread points (snapshots, a job's summed progress), always the first and the last. */
export function thin<T>(points: T[]): T[] {
  if (points.length <= MAX_CHART_POINTS) return points;
  const step = (points.length - 1) / (MAX_CHART_POINTS - 1);
  return Array.from({ length: MAX_CHART_POINTS }, (_, i) => points[Math.round(i * step)]);
}
