"use server";
// The batch engine's server actions. Each resolves the session and the team itself (teamAction) and
// touches only that team's objects: another team's batch, file or connection is "not found".
import { revalidatePath } from "next/cache";
import { teamAction, type ActionResult } from "@/lib/actions";
import { cancelBatch } from "@/lib/batches/engine/cancel";
import { db } from "@/lib/db/client";
import { localizeForRequest } from "@/lib/i18n/server-messages.request";
import { checkBatchNow } from "./check-now";
import { cancelJob, launchJob, launchOrQueue, launchRemainingParts, planSplit, type JobCancelOutcome, type JobOutcome, type SingleLaunchOutcome, type SplitPlanView } from "./jobs";
import { checkLaunch, type LaunchVerdict } from "./launch-check";
import { cancelQueuedPart } from "./queue";
import {
  cancelBatchInput,
  checkBatchNowInput,
  checkLaunchInput,
  jobInput,
  launchBatchInput,
  queuedPartInput,
  launchJobInput,
  planSplitInput,
  type CancelBatchInput,
  type CheckBatchNowInput,
  type CheckLaunchInput,
  type JobInput,
  type LaunchBatchInput,
  type QueuedPartInput,
  type LaunchJobInput,
  type PlanSplitInput,
} from "./schemas";

const launch = teamAction(launchBatchInput, "MEMBER", async (input, ctx) => {
  const out = await launchOrQueue(input, ctx);
  revalidatePath("/batches");
  return "batchId" in out ? { batchId: out.batchId } : out;
});

const cancel = teamAction(cancelBatchInput, "MEMBER", async ({ batchId }, ctx) => {
  const out = await cancelBatch(ctx, batchId);
  revalidatePath(`/batches/${batchId}`);
  revalidatePath("/batches");
  return out;
});

const checkNow = teamAction(checkBatchNowInput, "MEMBER", async ({ batchId }, ctx) => checkBatchNow(await db(), ctx.team.id, batchId));

/**
 * Launches a batch, or queues it (a start time, or no room on the connection now: the answer is
 * then its job, whose page says why it waits); the same idempotencyKey always answers the same.
 */
export async function launchBatchAction(input: FormData | LaunchBatchInput): Promise<ActionResult<{ batchId: string } | Exclude<SingleLaunchOutcome, { batchId: string }>>> {
  return launch(input);
}

export async function cancelBatchAction(input: FormData | CancelBatchInput): Promise<ActionResult<{ batchId: string; status: string }>> {
  return cancel(input);
}

/** Asks the sync worker to poll the batch at its next tick (at most once every 10 s a batch). */
export async function checkBatchNowAction(input: FormData | CheckBatchNowInput): Promise<ActionResult<{ batchId: string; nextPollAt: string }>> {
  return checkNow(input);
}

// The verdict's words are launch's own (English where they are made): in the request's language here.
const checkFile = teamAction(checkLaunchInput, "VIEWER", async (input, ctx): Promise<LaunchVerdict> => {
  const v = await checkLaunch(input, ctx);
  if (v.verdict === "invalid") return { ...v, message: await localizeForRequest(v.message) };
  if (v.verdict === "split") return { ...v, problems: await Promise.all(v.problems.map(localizeForRequest)) };
  return v;
});

/** The launch form's verdict on the chosen file and connection: the checks launch makes, nothing sent. */
export async function checkLaunchAction(input: CheckLaunchInput): Promise<ActionResult<LaunchVerdict>> {
  return checkFile(input);
}

// Jobs: a file over the provider's limits launched as several batches (lib/batches/jobs.ts).

const plan = teamAction(planSplitInput, "VIEWER", (input, ctx) => planSplit(input, ctx));

const launchAsJob = teamAction(launchJobInput, "MEMBER", async (input, ctx) => {
  const out = await launchJob(input, ctx);
  revalidatePath("/batches");
  return out;
});

const launchRemaining = teamAction(jobInput, "MEMBER", async ({ jobId }, ctx) => {
  const out = await launchRemainingParts(jobId, ctx);
  revalidatePath(`/jobs/${jobId}`);
  revalidatePath("/batches");
  return out;
});

const cancelAll = teamAction(jobInput, "MEMBER", async ({ jobId }, ctx) => {
  const out = await cancelJob(jobId, ctx);
  revalidatePath(`/jobs/${jobId}`);
  revalidatePath("/batches");
  return out;
});

/** How the file would split for the connection: the launch form shows it before "Launch as K batches". */
export async function planSplitAction(input: PlanSplitInput): Promise<ActionResult<SplitPlanView>> {
  return plan(input);
}

/** Launches the file as a job of several batches; the same idempotencyKey launches each part once. */
export async function launchJobAction(input: FormData | LaunchJobInput): Promise<ActionResult<JobOutcome>> {
  return launchAsJob(input);
}

export async function launchRemainingPartsAction(input: JobInput): Promise<ActionResult<JobOutcome>> {
  return launchRemaining(input);
}

export async function cancelJobAction(input: JobInput): Promise<ActionResult<JobCancelOutcome>> {
  return cancelAll(input);
}

const cancelQueued = teamAction(queuedPartInput, "MEMBER", async ({ partId }, ctx) => {
  const out = await cancelQueuedPart(await db(), ctx, partId);
  revalidatePath(`/jobs/${out.jobId}`);
  return out;
});

/** Cancels a part of a job that waits in the queue: it will not launch. */
export async function cancelQueuedPartAction(input: QueuedPartInput): Promise<ActionResult<{ jobId: string; part: number }>> {
  return cancelQueued(input);
}
