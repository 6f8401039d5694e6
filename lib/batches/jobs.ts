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
// launch, resumption and refusal. The job page reads jobs through read/job-view.ts.
import "server-only";
import crypto from "node:crypto";
import { db, type Db } from "@/lib/db/client";
import { Prisma } from "@/lib/generated/prisma/client";
import { audit, auditData } from "@/lib/audit";
import { NotFoundError, toUserMessage, UserError } from "@/lib/errors";
import { effectiveProfile } from "@/lib/providers/connections.limits";
import { readConnectionLimits } from "@/lib/providers/connections.limits.read";
import { profiles } from "@/lib/providers/profiles";
import type { ProviderProfile } from "@/lib/providers/profile";
import { checkFileForProfile, checkWindow } from "@/lib/providers/checks";
import { isTerminal } from "@/lib/providers/status";
import { cancelBatch } from "@/lib/batches/engine/cancel";
import type { ActorContext } from "@/lib/batches/engine/lease";
import { rangeTokens } from "@/lib/tokens/file";
import { cancelQueuedParts, countsLaunches, neverFits, queueLimitsOf, readSettings, runConnectionQueue, type JobSettings, type QueueConnection, type Tokens } from "./queue";
import { launchBatch } from "@/lib/batches/engine/launch";
import type { LaunchBatchInput, LaunchJobInput, PlanSplitInput } from "./schemas";
import { describeLimits, planFileParts, type CutReason, type PlannedPart, type SplitPlan } from "./split";

/** Same key, same team: same job id (and another team's key can never name this team's job). */
export function jobIdFor(teamId: string, key: string) {
  return `job_${crypto.createHash("sha256").update(`${teamId}:${key}`).digest("hex").slice(0, 24)}`;
}

export { readSettings };

async function connectionProfile(prisma: Db, teamId: string, connectionId: string, opts: { single?: boolean } = {}) {
  const c = await prisma.providerConnection.findFirst({ where: { id: connectionId, teamId }, select: { id: true, kind: true, name: true, limits: true, queueLimits: true } });
  if (!c || !profiles[c.kind]) throw new NotFoundError("That connection");
  const profile = effectiveProfile(c.kind, readConnectionLimits(c), { name: c.name });
  if (!profile.capabilities.split && !opts.single) {
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
  /** Parts waiting in the queue (for their start time or for room on the connection), and why the first waits. */
  queued?: number;
  waiting?: string;
  /** A scheduled launch: when its parts start (ISO). */
  startAt?: string;
}

/**
 * Creates the job and launches its parts in order. Refuses a file that fits one batch (launch it
 * as one) and anything no split can fix (split.ts says which line or which models).
 */
export async function launchJob(input: LaunchJobInput, ctx: ActorContext, opts: { single?: boolean } = {}): Promise<JobOutcome> {
  const prisma = await db();
  const jobId = jobIdFor(ctx.team.id, input.idempotencyKey);
  // A double click or a retried request: carry on with the job the first one made.
  const existing = await prisma.job.findFirst({ where: { id: jobId, teamId: ctx.team.id }, select: { id: true, plannedParts: true } });
  // Its parts are launched or queued already (the worker carries on with those that wait).
  if (existing) return jobOutcome(prisma, jobId, existing.plannedParts);

  const file = await prisma.inputFile.findFirst({ where: { id: input.inputFileId, teamId: ctx.team.id } });
  if (!file) throw new NotFoundError("That file");
  const { connection, profile } = await connectionProfile(prisma, ctx.team.id, input.connectionId, opts);
  checkSplittable(file, input, profile);
  const plan = await planFileParts(prisma, file.id, file.endpoint, profile);
  // One part is a job only when the stored file is over a limit that its lines as sent are not, or
  // when the one batch waits in the queue (queueSingle).
  if (!opts.single && plan.parts.length < 2 && checkFileForProfile(profile, file).length === 0) {
    throw new UserError(`"${file.name}" fits in one batch on ${connection.name}: launch it as one batch.`);
  }
  if (opts.single && plan.parts.length > 1) {
    const problems = checkFileForProfile(profile, file);
    throw new UserError(`${problems.map((p) => p.message).join(" ") || `"${file.name}" does not fit in one batch on ${connection.name}.`} Launch it as ${plan.parts.length} batches instead.`);
  }

  const settings: JobSettings = {
    connectionId: connection.id,
    endpoint: input.endpoint,
    completionWindow: input.completionWindow,
    ...(input.description ? { description: input.description } : {}),
    ...(input.metadata ? { metadata: input.metadata } : {}),
    key: input.idempotencyKey,
  };
  const event = await auditData(prisma, {
    teamId: ctx.team.id,
    actorId: ctx.user.id,
    action: "job.launched",
    targetType: "job",
    targetId: jobId,
    targetLabel: input.name,
    data: { ...settings, parts: plan.parts.length, name: input.name, file: file.name, connection: connection.name, requests: plan.requests } as unknown as Prisma.InputJsonValue,
  });
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
      prisma.auditEvent.create({ data: event }),
    ]);
  } catch (err) {
    // The same key at the same moment (double click): the other call made the job; carry on with it.
    if (err instanceof Prisma.PrismaClientKnownRequestError && err.code === "P2002") return jobOutcome(prisma, jobId, plan.parts.length);
    throw err;
  }
  let out: JobOutcome;
  try {
    out = await launchParts(prisma, { id: jobId, name: input.name, inputFileId: file.id }, settings, ctx, { plan, connection, startAt: input.startAt });
  } catch (err) {
    // Refused before any part was queued (a part that could never fit): no job is left behind.
    await prisma.job.deleteMany({ where: { id: jobId, batches: { none: {} } } });
    throw err;
  }
  if (out.launched === 0 && out.refused) {
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
 * Queues, in order, the parts after those the job already has, and launches those that fit now
 * (queue.ts: the same loop the worker runs). The plan of the rest is made again from the line after
 * the last launched part (parts are contiguous and launched in order), so it holds even if the
 * connection's limits changed in between. Each part carries its input tokens per model where the
 * connection has an enqueued-token limit for one of the file's models.
 */
async function launchParts(
  prisma: Db,
  job: { id: string; name: string; inputFileId: string },
  settings: JobSettings,
  ctx: ActorContext,
  fresh?: { plan: SplitPlan; connection: QueueConnection; startAt?: Date },
): Promise<JobOutcome> {
  const done = await prisma.batch.findMany({ where: { jobId: job.id }, orderBy: { jobPart: "asc" }, select: { jobPart: true, toLine: true } });
  const last = done[done.length - 1];
  let plan = fresh && done.length === 0 ? fresh.plan : undefined;
  let connection = fresh?.connection;
  if (!plan || !connection) {
    const c = await connectionProfile(prisma, ctx.team.id, settings.connectionId);
    connection = c.connection;
    plan = await planFileParts(prisma, job.inputFileId, settings.endpoint, c.profile, { afterLine: last?.toLine ?? 0, firstPart: (last?.jobPart ?? 0) + 1 });
    if (done.length && plan.parts.length) {
      await prisma.job.update({ where: { id: job.id }, data: { plannedParts: done.length + plan.parts.length } });
      await audit(prisma, {
        teamId: ctx.team.id,
        actorId: ctx.user.id,
        action: "job.resumed",
        targetType: "job",
        targetId: job.id,
        targetLabel: job.name,
        data: { parts: done.length + plan.parts.length, from: plan.parts[0].part },
      });
    }
  }
  const of = done.length + plan.parts.length;
  const tokens = await partTokens(prisma, connection, job.inputFileId, settings.endpoint, plan);
  tokens.forEach((t, i) => {
    const never = neverFits(connection, t, plan.parts.length > 1 ? `Part ${plan.parts[i].part} of ${of}` : "This batch");
    if (never) throw new UserError(never);
  });
  const startAt = fresh?.startAt ?? new Date();
  // The parts not launched yet are planned again: whatever waited or was refused before goes.
  await prisma.$transaction([
    prisma.queuedPart.deleteMany({ where: { jobId: job.id } }),
    prisma.queuedPart.createMany({
      data: plan.parts.map((p, i) => ({
        teamId: ctx.team.id,
        jobId: job.id,
        connectionId: connection.id,
        part: p.part,
        fromLine: p.fromLine,
        toLine: p.toLine,
        requests: p.requests,
        bytes: p.bytes,
        model: p.model,
        ...(tokens[i] ? { tokens: tokens[i] } : {}),
        startAt,
        createdById: ctx.user.id,
      })),
    }),
  ]);
  if (startAt.getTime() <= Date.now()) await runConnectionQueue(prisma, connection.id, { jobId: job.id });
  return jobOutcome(prisma, job.id, of);
}

/** Each part's input tokens per model, where the connection limits a model of the file; else nulls. */
async function partTokens(prisma: Db, c: QueueConnection, fileId: string, endpoint: string, plan: SplitPlan): Promise<(Tokens | null)[]> {
  const file = await prisma.inputFile.findUniqueOrThrow({ where: { id: fileId }, select: { models: true } });
  const limits = queueLimitsOf(c);
  if (!countsLaunches({ ...limits, maxUnfinished: null }, file.models)) return plan.parts.map(() => null);
  return rangeTokens(prisma, fileId, endpoint, plan.parts);
}

/** Where the job stands after a launch call: launched, waiting (and why the first waits), refused. */
async function jobOutcome(prisma: Db, jobId: string, of: number): Promise<JobOutcome> {
  const [launched, waiting] = await Promise.all([
    prisma.batch.count({ where: { jobId } }),
    prisma.queuedPart.findMany({ where: { jobId, state: { in: ["queued", "refused"] } }, orderBy: { part: "asc" }, select: { part: true, state: true, reason: true, startAt: true } }),
  ]);
  const refused = waiting.find((p) => p.state === "refused");
  const queued = waiting.filter((p) => p.state === "queued");
  const first = queued[0];
  return {
    jobId,
    launched,
    parts: of,
    ...(refused ? { refused: { part: refused.part, message: refused.reason ?? "" } } : {}),
    ...(queued.length ? { queued: queued.length } : {}),
    ...(first?.reason ? { waiting: first.reason } : {}),
    ...(first && first.startAt.getTime() > Date.now() ? { startAt: first.startAt.toISOString() } : {}),
  };
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
  const job = await prisma.job.findFirst({ where: { id: jobId, teamId: ctx.team.id }, select: { id: true, name: true } });
  if (!job) throw new NotFoundError("That job");
  const parts = await prisma.batch.findMany({ where: { jobId: job.id, teamId: ctx.team.id }, orderBy: { jobPart: "asc" }, select: { id: true, jobPart: true, status: true } });
  const out: JobCancelOutcome = { cancelled: await cancelQueuedParts(prisma, ctx, job.id), failures: [] };
  for (const p of parts) {
    if (isTerminal(p.status) || p.status === "CANCELLING") continue;
    try {
      await cancelBatch(ctx, p.id);
      out.cancelled++;
    } catch (err) {
      out.failures.push({ part: p.jobPart ?? 0, message: toUserMessage(err) });
    }
  }
  if (out.cancelled === 0 && out.failures.length === 0) throw new UserError("No part of this job is still running or waiting.");
  await audit(prisma, { teamId: ctx.team.id, actorId: ctx.user.id, action: "job.cancelled", targetType: "job", targetId: job.id, targetLabel: job.name, data: { ...out } });
  return out;
}

// ---------------------------------------------------------------------------------------------
// A single launch that may wait

export type SingleLaunchOutcome = { batchId: string; created: boolean } | { jobId: string; queued: true; waiting?: string; startAt?: string };

/**
 * The launch form's one batch. On a connection whose queue limits apply to the file (its
 * unfinished-batch limit, an enqueued-token limit for one of its models), or with a start time, the
 * batch goes through the queue as a job of one part: launched now when there is room (the answer
 * is its batch), else waiting with the reason (the answer is its job, whose page shows why). A
 * dry run, or a connection without limits, launches directly as before.
 */
export async function launchOrQueue(input: LaunchBatchInput, ctx: ActorContext): Promise<SingleLaunchOutcome> {
  const prisma = await db();
  const scheduled = input.startAt !== undefined && input.startAt.getTime() > Date.now();
  if (input.dryRun && scheduled) throw new UserError("A dry run starts right away: leave “Start at” empty.", { startAt: "No start time for a dry run." });
  const [conn, file] = await Promise.all([
    prisma.providerConnection.findFirst({ where: { id: input.connectionId, teamId: ctx.team.id }, select: { id: true, kind: true, name: true, queueLimits: true } }),
    prisma.inputFile.findFirst({ where: { id: input.inputFileId, teamId: ctx.team.id }, select: { models: true } }),
  ]);
  const jobId = jobIdFor(ctx.team.id, input.idempotencyKey);
  const direct = input.dryRun || !conn || !file || !profiles[conn.kind] || (!scheduled && !countsLaunches(queueLimitsOf(conn), file.models));
  // A repeated call answers what the first one did, whichever way it went.
  const queuedBefore = await prisma.job.findFirst({ where: { id: jobId, teamId: ctx.team.id }, select: { id: true } });
  if (direct && !queuedBefore) return launchBatch(input, ctx);
  const { dryRun: _dry, ...rest } = input;
  void _dry;
  const out = await launchJob(rest, ctx, { single: true });
  const batch = out.launched ? await prisma.batch.findFirst({ where: { jobId: out.jobId }, select: { id: true } }) : null;
  if (batch) return { batchId: batch.id, created: true };
  if (out.refused) throw new UserError(out.refused.message);
  return { jobId: out.jobId, queued: true, ...(out.waiting ? { waiting: out.waiting } : {}), ...(out.startAt ? { startAt: out.startAt } : {}) };
}
