// The job page's read model: a job (a file launched as several batches, lib/batches/jobs.ts) with
// its parts, the status that sums them up, the combined progress over time and the latest refusal;
// a batch's place in its job for the batch page; and every part's results as one CSV. Every read
// takes the team id, so another team's job is simply not found. Plain JSON, like the batch page's
// view (view.ts), so GET /api/jobs/:id sends what the page was rendered with.
import "server-only";
import { Readable } from "node:stream";
import type { Db } from "@/lib/db/client";
import type { BatchStatus } from "@/lib/generated/prisma/enums";
import type { Locale } from "@/lib/i18n/config";
import { localize } from "@/lib/i18n/server-messages";
import { profiles } from "@/lib/providers/profiles";
import { resultsCsv } from "@/lib/results/export";
import { readSettings } from "../jobs";
import { isLive, thin } from "./view";

export interface JobPartView {
  id: string;
  part: number;
  fromLine: number | null;
  toLine: number | null;
  status: BatchStatus;
  rawStatus: string | null;
  total: number;
  completed: number;
  failed: number;
  resultCount: number;
  providerBatchId: string | null;
  live: boolean;
}

/** A part not launched yet: waiting for its start time or for room, cancelled, or refused. */
export interface QueuedPartView {
  id: string;
  part: number;
  fromLine: number;
  toLine: number;
  requests: number;
  state: "queued" | "cancelled" | "refused";
  /** Why it waits (or why it was refused), in words; null while it only waits for its time or its turn. */
  reason: string | null;
  /** When it may start (ISO). */
  startAt: string;
  /** Its start time was still ahead when read (a scheduled launch). */
  scheduled: boolean;
}

export interface JobView {
  id: string;
  name: string;
  createdAt: string;
  createdBy: string | null;
  file: { id: string; name: string; requestCount: number };
  connection: { id: string; name: string; providerLabel: string } | null;
  endpoint: string | null;
  completionWindow: string | null;
  /** The status that sums the parts up: the busiest one while any runs, else how they ended. */
  status: BatchStatus;
  parts: JobPartView[];
  /** Parts not launched yet (queue.ts), in part order. */
  queued: QueuedPartView[];
  /** Parts planned; more than parts.length when a part was refused and the rest not launched. */
  plannedParts: number;
  /** The latest refusal, while parts remain to launch. */
  refused: { part: number; message: string; at: string } | null;
  total: number;
  completed: number;
  failed: number;
  resultCount: number;
  live: boolean;
  /** Combined progress over time: each part's latest counts summed at every snapshot. */
  points: { t: number; completed: number; failed: number }[];
}


/** The job's view; its parts' waiting reasons and the latest refusal (stored in English) in `locale`. */
export async function getJobView(prisma: Db, teamId: string, id: string, locale: Locale = "en"): Promise<JobView | null> {
  const job = await prisma.job.findFirst({
    where: { id, teamId },
    select: { id: true, name: true, createdAt: true, inputFileId: true, createdById: true, settings: true, plannedParts: true },
  });
  if (!job) return null;
  const settings = readSettings(job.settings);
  const [file, createdBy, batches, refusal, waiting] = await Promise.all([
    prisma.inputFile.findUnique({ where: { id: job.inputFileId }, select: { id: true, name: true, requestCount: true } }),
    job.createdById ? prisma.user.findUnique({ where: { id: job.createdById }, select: { name: true } }) : null,
    prisma.batch.findMany({
      where: { jobId: job.id, teamId },
      orderBy: { jobPart: "asc" },
      select: {
        id: true,
        jobPart: true,
        fromLine: true,
        toLine: true,
        status: true,
        rawStatus: true,
        total: true,
        completed: true,
        failed: true,
        resultCount: true,
        providerBatchId: true,
        resultsIngestedAt: true,
        outputFileId: true,
        errorFileId: true,
        lastPolledAt: true,
        endpoint: true,
        completionWindow: true,
        connection: { select: { id: true, name: true, kind: true } },
      },
    }),
    prisma.auditEvent.findFirst({
      where: { teamId, targetType: "job", targetId: job.id, action: "job.part_refused" },
      orderBy: { id: "desc" },
      select: { data: true, createdAt: true },
    }),
    prisma.queuedPart.findMany({
      where: { jobId: job.id, teamId },
      orderBy: { part: "asc" },
      select: { id: true, part: true, fromLine: true, toLine: true, requests: true, state: true, reason: true, startAt: true },
    }),
  ]);
  const now = Date.now();
  const queued: QueuedPartView[] = waiting.map((q) => ({ ...q, reason: q.reason === null ? null : localize(q.reason, locale), state: q.state as QueuedPartView["state"], startAt: q.startAt.toISOString(), scheduled: q.startAt.getTime() > now }));
  const parts: JobPartView[] = batches.map((b) => ({
    id: b.id,
    part: b.jobPart ?? 0,
    fromLine: b.fromLine,
    toLine: b.toLine,
    status: b.status,
    rawStatus: b.rawStatus,
    total: b.total,
    completed: b.completed,
    failed: b.failed,
    resultCount: b.resultCount,
    providerBatchId: b.providerBatchId,
    live: isLive(b),
  }));
  const plannedParts = Math.max(parts.length, job.plannedParts);
  // A job whose parts all wait has no batch to name its connection: its settings do.
  const conn =
    batches[0]?.connection ??
    (settings ? await prisma.providerConnection.findFirst({ where: { id: settings.connectionId, teamId }, select: { id: true, name: true, kind: true } }) : null);
  // Waiting parts keep the page live too: it shows them launch.
  const live = parts.some((p) => p.live) || queued.some((q) => q.state === "queued");
  const sum = (k: "total" | "completed" | "failed" | "resultCount") => parts.reduce((n, p) => n + p[k], 0);
  const lastPolled = Math.max(0, ...batches.map((b) => b.lastPolledAt?.getTime() ?? 0));
  const refusedData = refusal?.data as { part?: number; message?: string } | null | undefined;
  return {
    id: job.id,
    name: job.name,
    createdAt: job.createdAt.toISOString(),
    createdBy: createdBy?.name ?? null,
    file: file ?? { id: job.inputFileId, name: "(deleted file)", requestCount: 0 },
    connection: conn ? { id: conn.id, name: conn.name, providerLabel: profiles[conn.kind]?.label ?? conn.kind } : null,
    endpoint: batches[0]?.endpoint ?? settings?.endpoint ?? null,
    completionWindow: batches[0]?.completionWindow ?? settings?.completionWindow ?? null,
    status: jobStatus(parts),
    parts,
    queued,
    plannedParts,
    refused:
      plannedParts > parts.length && refusedData?.message
        ? { part: refusedData.part ?? parts.length + 1, message: localize(refusedData.message, locale), at: refusal!.createdAt.toISOString() }
        : null,
    total: sum("total"),
    completed: sum("completed"),
    failed: sum("failed"),
    resultCount: sum("resultCount"),
    live,
    points: await combinedPoints(prisma, parts, live ? lastPolled : 0),
  };
}

const busy: BatchStatus[] = ["LAUNCHING", "VALIDATING", "IN_PROGRESS", "FINALIZING", "CANCELLING"];

/** While any part runs, the earliest stage any part is at; once all ended, the worst ending. */
export function jobStatus(parts: { status: BatchStatus }[]): BatchStatus {
  if (parts.length === 0) return "LAUNCHING";
  const running = parts.filter((p) => busy.includes(p.status));
  if (running.length) {
    if (running.every((p) => p.status === "CANCELLING")) return "CANCELLING";
    return busy.find((s) => s !== "CANCELLING" && running.some((p) => p.status === s))!;
  }
  for (const s of ["FAILED", "EXPIRED", "CANCELLED"] as BatchStatus[]) if (parts.some((p) => p.status === s)) return s;
  return "COMPLETED";
}

/**
 * The parts' snapshots summed over time: walking every snapshot in time order, each part's latest
 * counts are kept and their sum is a point. Counts only change when a part is polled, so the chart
 * draws steps, as a batch's own chart does.
 */
async function combinedPoints(prisma: Db, parts: JobPartView[], lastPolled: number): Promise<JobView["points"]> {
  if (parts.length === 0) return [];
  const snaps = await prisma.batchSnapshot.findMany({
    where: { batchId: { in: parts.map((p) => p.id) } },
    orderBy: [{ at: "asc" }, { id: "asc" }],
    select: { batchId: true, at: true, completed: true, failed: true },
  });
  const latest = new Map<string, { completed: number; failed: number }>();
  let completed = 0;
  let failed = 0;
  const points: JobView["points"] = [];
  for (const s of snaps) {
    const before = latest.get(s.batchId) ?? { completed: 0, failed: 0 };
    completed += s.completed - before.completed;
    failed += s.failed - before.failed;
    latest.set(s.batchId, { completed: s.completed, failed: s.failed });
    const t = s.at.getTime();
    // Several parts polled in the same millisecond make one point.
    if (points.length && points[points.length - 1].t === t) points[points.length - 1] = { t, completed, failed };
    else points.push({ t, completed, failed });
  }
  const end = points[points.length - 1];
  if (end && lastPolled > end.t) points.push({ t: lastPolled, completed: end.completed, failed: end.failed });
  return thin(points);
}

/** A batch's place in its job, for the batch page ("Part 2 of 5 of job …"); null when it is no part. */
export async function partOfJob(prisma: Db, teamId: string, batchId: string) {
  const b = await prisma.batch.findFirst({
    where: { id: batchId, teamId, jobId: { not: null } },
    select: { jobPart: true, job: { select: { id: true, name: true, plannedParts: true, _count: { select: { batches: true } } } } },
  });
  if (!b?.job) return null;
  return { part: b.jobPart ?? 0, of: Math.max(b.job._count.batches, b.job.plannedParts), job: { id: b.job.id, name: b.job.name } };
}

// ---------------------------------------------------------------------------------------------
// The combined CSV

/** The job's parts in order, for the combined export; null when the job is not the team's. */
export async function jobForExport(prisma: Db, teamId: string, id: string) {
  const job = await prisma.job.findFirst({ where: { id, teamId }, select: { id: true, name: true } });
  if (!job) return null;
  const parts = await prisma.batch.findMany({ where: { jobId: job.id, teamId }, orderBy: { jobPart: "asc" }, select: { id: true } });
  return { ...job, partIds: parts.map((p) => p.id) };
}

/**
 * Every part's results CSV (lib/results/export.ts) one after another, in part order (so in
 * input-line order): one header, from the first part; each later part's own header line is dropped.
 */
export function jobResultsCsv(prisma: Db, partIds: string[], opts: { bom?: boolean } = {}): Readable {
  return Readable.from(
    (async function* () {
      for (const [i, id] of partIds.entries()) {
        let header = i > 0;
        for await (const chunk of resultsCsv(prisma, id, {}, { bom: i === 0 && opts.bom })) {
          let buf: Buffer = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as string);
          if (header) {
            const end = buf.indexOf("\r\n");
            if (end < 0) continue;
            buf = buf.subarray(end + 2);
            header = false;
          }
          if (buf.length) yield buf;
        }
      }
    })(),
    { objectMode: false },
  );
}
