// Jobs: a file over the chosen provider's limits launched as several batches (parts), planned by
// split.ts and launched one after another by launch.ts, each with its line range. Idempotent per
// user action like a single launch: the job's id is derived from the form's key, and part n is
// launched under the key `${key}:part-${n}`, so a double click or a retried request creates each
// part once. A part the provider refuses stops the launch there; the parts already launched are
// kept, and "Launch remaining parts" (launchRemainingParts) plans the rest of the file again from
// the line after the last launched part.
//
// The Job row keeps the launch settings every part is launched with (connection, window,
// description, metadata, key) and how many parts its latest plan made; the audit log records each
// launch, resumption and refusal.
import "server-only";
import crypto from "node:crypto";
import { Readable } from "node:stream";
import { db, type Db } from "@/lib/db/client";
import { Prisma } from "@/lib/generated/prisma/client";
import type { BatchStatus } from "@/lib/generated/prisma/enums";
import { audit } from "@/lib/audit";
import { NotFoundError, toUserMessage, UserError } from "@/lib/errors";
import { effectiveProfile } from "@/lib/providers/connections.limits";
import { readConnectionLimits } from "@/lib/providers/connections.limits.read";
import { profiles } from "@/lib/providers/profiles";
import type { ProviderProfile } from "@/lib/providers/profile";
import { checkFileForProfile, checkWindow } from "@/lib/providers/checks";
import { isTerminal } from "@/lib/providers/status";
import { cancelBatch } from "@/lib/batches/engine/cancel";
import { resultsCsv } from "./export";
import type { ActorContext } from "@/lib/batches/engine/lease";
import { launchBatch } from "@/lib/batches/engine/launch";
import { isLive } from "./queries";
import type { LaunchJobInput, PlanSplitInput } from "./schemas";
import { describeLimits, planFileParts, type CutReason, type PlannedPart, type SplitPlan } from "./split";

/** Same key, same team: same job id (and another team's key can never name this team's job). */
export function jobIdFor(teamId: string, key: string) {
  return `job_${crypto.createHash("sha256").update(`${teamId}:${key}`).digest("hex").slice(0, 24)}`;
}

const partKey = (key: string, n: number) => `${key}:part-${n}`;

/** What every part of a job is launched with (Job.settings). */
interface JobSettings {
  connectionId: string;
  endpoint: string;
  completionWindow: string;
  description?: string;
  metadata?: Record<string, string>;
  key: string;
}

/** Job.settings as stored; null when it lacks what a launch needs. */
function readSettings(v: Prisma.JsonValue | null): JobSettings | null {
  const s = v as Partial<JobSettings> | null;
  return s && typeof s === "object" && s.connectionId && s.endpoint && s.completionWindow && s.key ? (s as JobSettings) : null;
}

async function connectionProfile(prisma: Db, teamId: string, connectionId: string) {
  const c = await prisma.providerConnection.findFirst({ where: { id: connectionId, teamId }, select: { id: true, kind: true, name: true, limits: true } });
  if (!c || !profiles[c.kind]) throw new NotFoundError("That connection");
  const profile = effectiveProfile(c.kind, readConnectionLimits(c), { name: c.name });
  if (!profile.capabilities.split) {
    throw new UserError(`${c.name} (${profile.label}) takes up to ${profile.limits.maxRequests.toLocaleString("en-US")} requests a batch; Batchboard does not split files for it.`);
  }
  return { connection: c, profile };
}

// ---------------------------------------------------------------------------------------------
// The plan, as the launch form shows it

export interface SplitPlanView {
  connection: string;
  /** The limits the parts keep to, in words ("3 requests, 200 MB per batch"). */
  limits: string;
  maxRequests: number;
  maxFileBytes: number;
  oneModelPerBatch: boolean;
  reasons: CutReason[];
  requests: number;
  bytes: number;
  parts: PlannedPart[];
}

/** How the file splits for the connection (or a UserError saying why it cannot be split). */
export async function planSplit(input: PlanSplitInput, ctx: ActorContext): Promise<SplitPlanView> {
  const prisma = await db();
  const file = await prisma.inputFile.findFirst({ where: { id: input.inputFileId, teamId: ctx.team.id }, select: { id: true, endpoint: true, status: true, name: true } });
  if (!file) throw new NotFoundError("That file");
  if (file.status !== "valid") throw new UserError(`The file "${file.name}" is ${file.status}, not valid: fix its problems before launching.`);
  const { connection, profile } = await connectionProfile(prisma, ctx.team.id, input.connectionId);
  const plan = await planFileParts(prisma, file.id, file.endpoint, profile);
  return toPlanView(connection.name, plan);
}

function toPlanView(connection: string, plan: SplitPlan): SplitPlanView {
  return { connection, limits: describeLimits(plan.limits), ...plan.limits, reasons: plan.reasons, requests: plan.requests, bytes: plan.bytes, parts: plan.parts };
}

// ---------------------------------------------------------------------------------------------
// Launch

export interface JobOutcome {
  jobId: string;
  /** Parts the job has now, launched before or by this call. */
  launched: number;
  /** Parts planned in all. */
  parts: number;
  /** The part the provider (or a check) refused, which stopped the launch; later parts were not sent. */
  refused?: { part: number; message: string };
}

/**
 * Creates the job and launches its parts in order. Refuses a file that fits one batch (launch it
 * as one) and anything no split can fix (split.ts says which line or which models).
 */
export async function launchJob(input: LaunchJobInput, ctx: ActorContext): Promise<JobOutcome> {
  const prisma = await db();
  const jobId = jobIdFor(ctx.team.id, input.idempotencyKey);
  // A double click or a retried request: carry on with the job the first one made.
  const existing = await prisma.job.findFirst({ where: { id: jobId, teamId: ctx.team.id }, select: { id: true } });
  if (existing) return launchRemainingParts(jobId, ctx);

  const file = await prisma.inputFile.findFirst({ where: { id: input.inputFileId, teamId: ctx.team.id } });
  if (!file) throw new NotFoundError("That file");
  const { connection, profile } = await connectionProfile(prisma, ctx.team.id, input.connectionId);
  checkSplittable(file, input, profile);
  const plan = await planFileParts(prisma, file.id, file.endpoint, profile);
  // One part is a job only when the stored file is over a limit that its lines as sent are not.
  if (plan.parts.length < 2 && checkFileForProfile(profile, file).length === 0) {
    throw new UserError(`"${file.name}" fits in one batch on ${connection.name}: launch it as one batch.`);
  }

  const settings: JobSettings = {
    connectionId: connection.id,
    endpoint: input.endpoint,
    completionWindow: input.completionWindow,
    ...(input.description ? { description: input.description } : {}),
    ...(input.metadata ? { metadata: input.metadata } : {}),
    key: input.idempotencyKey,
  };
  try {
    await prisma.$transaction([
      prisma.job.create({
        data: {
          id: jobId,
          teamId: ctx.team.id,
          name: input.name,
          inputFileId: file.id,
          createdById: ctx.user.id,
          settings: settings as unknown as Prisma.InputJsonValue,
          plannedParts: plan.parts.length,
        },
      }),
      audit(prisma, {
        teamId: ctx.team.id,
        actorId: ctx.user.id,
        action: "job.launched",
        targetType: "job",
        targetId: jobId,
        data: { ...settings, parts: plan.parts.length, name: input.name, file: file.name, connection: connection.name, requests: plan.requests } as unknown as Prisma.InputJsonValue,
      }),
    ]);
  } catch (err) {
    // The same key at the same moment (double click): the other call made the job; carry on with it.
    if (err instanceof Prisma.PrismaClientKnownRequestError && err.code === "P2002") return launchRemainingParts(jobId, ctx);
    throw err;
  }
  const out = await launchParts(prisma, { id: jobId, name: input.name, inputFileId: file.id }, settings, ctx, plan);
  if (out.launched === 0) {
    // Nothing reached the provider: forget the job, as a refused single launch forgets its row.
    await prisma.job.deleteMany({ where: { id: jobId, batches: { none: {} } } });
    throw new UserError(`Nothing was launched: part 1 of ${plan.parts.length} was refused. ${out.refused?.message ?? ""}`.trim());
  }
  return out;
}

/** Launches the parts not launched yet (after a refusal), with the settings the job was launched with. */
export async function launchRemainingParts(jobId: string, ctx: ActorContext): Promise<JobOutcome> {
  const prisma = await db();
  const job = await prisma.job.findFirst({ where: { id: jobId, teamId: ctx.team.id }, select: { id: true, name: true, inputFileId: true, settings: true } });
  if (!job) throw new NotFoundError("That job");
  const settings = readSettings(job.settings);
  if (!settings) throw new UserError("This job's launch settings were not found; launch the file again from the launch form.");
  return launchParts(prisma, job, settings, ctx);
}

/** Checks no split can fix, made once before the job is created (each part is checked again as it launches). */
function checkSplittable(file: { status: string; name: string; endpoint: string; models: string[] }, input: LaunchJobInput, profile: ProviderProfile) {
  if (file.status !== "valid") throw new UserError(`The file "${file.name}" is ${file.status}, not valid: fix its problems before launching.`);
  if (input.endpoint !== file.endpoint) {
    throw new UserError(`The file's requests are for ${file.endpoint}, not ${input.endpoint}.`, { endpoint: `The file is for ${file.endpoint}.` });
  }
  // The file as one part of one model would be: what is still wrong then, splitting does not fix.
  const facts = profile.limits.oneModelPerBatch ? file.models.map((m) => [m]) : [file.models];
  const problems = [...facts.flatMap((models) => checkFileForProfile(profile, { endpoint: file.endpoint, requestCount: 1, models })), ...checkWindow(profile, input.completionWindow)];
  if (problems.length) {
    const fields: Record<string, string> = {};
    for (const p of problems) if (p.field) fields[p.field] ??= p.message;
    throw new UserError(problems.map((p) => p.message).join(" "), fields);
  }
}

/**
 * Launches, in order, the parts after those the job already has. The plan of the rest is made
 * again from the line after the last launched part (parts are contiguous and launched in order),
 * so it holds even if the connection's limits changed in between.
 */
async function launchParts(
  prisma: Db,
  job: { id: string; name: string; inputFileId: string },
  settings: JobSettings,
  ctx: ActorContext,
  fresh?: SplitPlan,
): Promise<JobOutcome> {
  const done = await prisma.batch.findMany({ where: { jobId: job.id }, orderBy: { jobPart: "asc" }, select: { jobPart: true, toLine: true } });
  const last = done[done.length - 1];
  let plan = fresh && done.length === 0 ? fresh : undefined;
  if (!plan) {
    const { profile } = await connectionProfile(prisma, ctx.team.id, settings.connectionId);
    plan = await planFileParts(prisma, job.inputFileId, settings.endpoint, profile, { afterLine: last?.toLine ?? 0, firstPart: (last?.jobPart ?? 0) + 1 });
    if (done.length && plan.parts.length) {
      await prisma.job.update({ where: { id: job.id }, data: { plannedParts: done.length + plan.parts.length } });
      await audit(prisma, {
        teamId: ctx.team.id,
        actorId: ctx.user.id,
        action: "job.resumed",
        targetType: "job",
        targetId: job.id,
        data: { parts: done.length + plan.parts.length, from: plan.parts[0].part },
      });
    }
  }
  const of = done.length + plan.parts.length;
  let launched = done.length;
  for (const part of plan.parts) {
    try {
      await launchBatch(
        {
          connectionId: settings.connectionId,
          inputFileId: job.inputFileId,
          endpoint: settings.endpoint,
          completionWindow: settings.completionWindow,
          name: job.name,
          description: settings.description,
          metadata: settings.metadata,
          idempotencyKey: partKey(settings.key, part.part),
        },
        ctx,
        { ...part, jobId: job.id, of },
      );
      launched++;
    } catch (err) {
      const message = toUserMessage(err);
      await audit(prisma, { teamId: ctx.team.id, actorId: ctx.user.id, action: "job.part_refused", targetType: "job", targetId: job.id, data: { part: part.part, message } });
      return { jobId: job.id, launched, parts: of, refused: { part: part.part, message } };
    }
  }
  return { jobId: job.id, launched, parts: of };
}

// ---------------------------------------------------------------------------------------------
// Cancel

export interface JobCancelOutcome {
  cancelled: number;
  failures: { part: number; message: string }[];
}

/** Asks the provider to cancel every part still running; what one part's refusal says is kept per part. */
export async function cancelJob(jobId: string, ctx: ActorContext): Promise<JobCancelOutcome> {
  const prisma = await db();
  const job = await prisma.job.findFirst({ where: { id: jobId, teamId: ctx.team.id }, select: { id: true } });
  if (!job) throw new NotFoundError("That job");
  const parts = await prisma.batch.findMany({ where: { jobId: job.id, teamId: ctx.team.id }, orderBy: { jobPart: "asc" }, select: { id: true, jobPart: true, status: true } });
  const out: JobCancelOutcome = { cancelled: 0, failures: [] };
  for (const p of parts) {
    if (isTerminal(p.status) || p.status === "CANCELLING") continue;
    try {
      await cancelBatch(ctx, p.id);
      out.cancelled++;
    } catch (err) {
      out.failures.push({ part: p.jobPart ?? 0, message: toUserMessage(err) });
    }
  }
  if (out.cancelled === 0 && out.failures.length === 0) throw new UserError("No part of this job is still running.");
  return out;
}

// ---------------------------------------------------------------------------------------------
// The job page

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

const MAX_CHART_POINTS = 400;

export async function getJobView(prisma: Db, teamId: string, id: string): Promise<JobView | null> {
  const job = await prisma.job.findFirst({
    where: { id, teamId },
    select: { id: true, name: true, createdAt: true, inputFileId: true, createdById: true, settings: true, plannedParts: true },
  });
  if (!job) return null;
  const settings = readSettings(job.settings);
  const [file, createdBy, batches, refusal] = await Promise.all([
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
  ]);
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
  const conn = batches[0]?.connection;
  const live = parts.some((p) => p.live);
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
    plannedParts,
    refused:
      plannedParts > parts.length && refusedData?.message
        ? { part: refusedData.part ?? parts.length + 1, message: refusedData.message, at: refusal!.createdAt.toISOString() }
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

function thin<T>(points: T[]): T[] {
  if (points.length <= MAX_CHART_POINTS) return points;
  const step = (points.length - 1) / (MAX_CHART_POINTS - 1);
  return Array.from({ length: MAX_CHART_POINTS }, (_, i) => points[Math.round(i * step)]);
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
 * Every part's results CSV (export.ts) one after another, in part order (so in input-line order):
 * one header, from the first part; each later part's own header line is dropped.
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
