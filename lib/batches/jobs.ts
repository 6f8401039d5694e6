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
import { launchBatch } from "@/lib/batches/engine/launch";
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
export function readSettings(v: Prisma.JsonValue | null): JobSettings | null {
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
        targetLabel: job.name,
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
      await audit(prisma, { teamId: ctx.team.id, actorId: ctx.user.id, action: "job.part_refused", targetType: "job", targetId: job.id, targetLabel: job.name, data: { part: part.part, message } });
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
  const job = await prisma.job.findFirst({ where: { id: jobId, teamId: ctx.team.id }, select: { id: true, name: true } });
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
  await audit(prisma, { teamId: ctx.team.id, actorId: ctx.user.id, action: "job.cancelled", targetType: "job", targetId: job.id, targetLabel: job.name, data: { ...out } });
  return out;
}
