// The team's batch list, newest first, a page at a time (the list page and GET /api/batches).
// Plain JSON, like every read model here: dates as ISO strings.
import "server-only";
import type { Db } from "@/lib/db/client";
import { clampPage, clampSize, iso, type Paged } from "@/lib/db/paging";
import type { BatchStatus } from "@/lib/generated/prisma/enums";
import { isLive } from "./view";

export interface BatchListRow {
  id: string;
  name: string;
  status: BatchStatus;
  rawStatus: string | null;
  total: number;
  completed: number;
  failed: number;
  createdAt: string;
  connection: { name: string; kind: string };
  createdBy: string | null;
  live: boolean;
  /** Brought in from the provider's own history (import), not launched here. */
  importedAt: string | null;
  /** A free test run on the provider's test model (Bailian's batch-test-model). */
  dryRun: boolean;
  /** Where it came from: the browser, the API (with the token's name), or a provider's history. */
  source: BatchSource;
  token: string | null;
  /** One part of a job (a file split over the provider's limits, lib/batches/jobs.ts). */
  part?: { jobId: string; part: number; of: number } | null;
}

export const BATCHES_PAGE_SIZE = 25;

export const BATCH_SOURCES = ["browser", "api", "import"] as const;
export type BatchSource = (typeof BATCH_SOURCES)[number];

/** ?source= of the list: one of BATCH_SOURCES, or undefined for all (anything else too: the page says so). */
export function sourceParam(v: string | null | undefined): BatchSource | undefined {
  return (BATCH_SOURCES as readonly string[]).includes(v ?? "") ? (v as BatchSource) : undefined;
}

export async function listBatches(prisma: Db, teamId: string, opts: { page?: number; pageSize?: number; source?: BatchSource } = {}): Promise<Paged<BatchListRow>> {
  const pageSize = clampSize(opts.pageSize, BATCHES_PAGE_SIZE);
  const page = clampPage(opts.page);
  const where = { teamId, ...(opts.source ? { source: opts.source } : {}) };
  const [rows, total] = await Promise.all([
    prisma.batch.findMany({
      where,
      // id breaks ties so that pages never repeat or skip a batch created in the same millisecond.
      orderBy: [{ createdAt: "desc" }, { id: "desc" }],
      skip: (page - 1) * pageSize,
      take: pageSize,
      select: {
        id: true,
        name: true,
        status: true,
        rawStatus: true,
        total: true,
        completed: true,
        failed: true,
        createdAt: true,
        resultsIngestedAt: true,
        outputFileId: true,
        errorFileId: true,
        importedAt: true,
        dryRun: true,
        jobPart: true,
        job: { select: { id: true, _count: { select: { batches: true } } } },
        connection: { select: { name: true, kind: true } },
        createdBy: { select: { name: true } },
        source: true,
        apiToken: { select: { name: true } },
      },
    }),
    prisma.batch.count({ where }),
  ]);
  return {
    rows: rows.map((b) => ({
      id: b.id,
      name: b.name,
      status: b.status,
      rawStatus: b.rawStatus,
      total: b.total,
      completed: b.completed,
      failed: b.failed,
      createdAt: b.createdAt.toISOString(),
      connection: b.connection,
      createdBy: b.createdBy?.name ?? null,
      live: isLive(b),
      importedAt: iso(b.importedAt),
      dryRun: b.dryRun,
      source: sourceParam(b.source) ?? "browser",
      token: b.apiToken?.name ?? null,
      part: b.job ? { jobId: b.job.id, part: b.jobPart ?? 0, of: b.job._count.batches } : null,
    })),
    total,
    page,
    pageSize,
    pageCount: Math.max(1, Math.ceil(total / pageSize)),
  };
}
