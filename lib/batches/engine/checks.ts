// What a launch checks before the row is written and anything is sent: the file is valid and of the
// form's endpoint, it fits the connection's profile (or what a dry run or a part of a job sends), the
// window and the metadata are the provider's. Every problem found at once, each form field given its
// own message. Lines are checked while the input is built (input-file.ts).
import type { Db } from "@/lib/db/client";
import { UserError } from "@/lib/errors";
import type { BatchStatus } from "@/lib/generated/prisma/enums";
import { BATCH_ID_METADATA_KEY } from "@/lib/providers/adapter";
import { batchMetadataFor, checkFileForProfile, checkWindow, mb, type ProfileProblem } from "@/lib/providers/checks";
import type { DryRun, ProviderProfile } from "@/lib/providers/profile";
import type { LaunchBatchInput } from "@/lib/batches/schemas";
import type { PlannedPart } from "@/lib/batches/split";

export type FileRow = { status: string; endpoint: string; requestCount: number; bytes: bigint; models: string[]; name: string };

/** The provider's free test run, if it offers one and the file is of the kind it takes. */
export function dryRunFor(profile: ProviderProfile, file: FileRow, connectionName: string): DryRun {
  const dry = profile.capabilities.dryRun;
  if (!dry) throw new UserError(`${connectionName} (${profile.label}) offers no free dry run; launch the batch itself instead.`, { dryRun: "No dry run here." });
  if (file.endpoint !== dry.from) {
    const msg = `A dry run sends chat completions to ${profile.label}'s ${dry.model} on ${dry.endpoint}; "${file.name}" is a ${file.endpoint} file, which it cannot test. Launch it without a dry run.`;
    throw new UserError(msg, { dryRun: msg });
  }
  return dry;
}

/** Everything that can be known without reading the lines; the lines are checked while the input is built. */
export function checkAgainstProfile(file: FileRow, input: LaunchBatchInput, profile: ProviderProfile, connectionName: string, dry?: DryRun, part?: PlannedPart) {
  if (file.status !== "valid") {
    throw new UserError(`The file "${file.name}" is ${file.status}, not valid: fix its problems before launching.`);
  }
  if (file.requestCount === 0) throw new UserError(`The file "${file.name}" has no requests.`);
  if (input.endpoint !== file.endpoint) {
    throw new UserError(`The file's requests are for ${file.endpoint}, not ${input.endpoint}.`, { endpoint: `The file is for ${file.endpoint}.` });
  }
  const keepsMetadata = profile.metadata.maxPairs > 0;
  if (!keepsMetadata && input.metadata && Object.keys(input.metadata).length) {
    const msg = `${profile.label} batches carry no metadata; the name and description are kept in Batchboard only.`;
    throw new UserError(msg, { metadata: msg });
  }
  // A dry run takes the first requests only, rewritten to the test model: check what is sent.
  // A part sends its own lines: its count, its bytes, its one model where the provider wants one.
  const sent = dry
    ? { endpoint: dry.endpoint, requestCount: Math.min(file.requestCount, dry.maxRequests), models: [dry.model] }
    : part
      ? { endpoint: file.endpoint, requestCount: part.requests, bytes: part.bytes, models: part.model !== null ? [part.model] : file.models }
      : file;
  const ours: Record<string, string> = profile.capabilities.recoverByMetadata ? { [BATCH_ID_METADATA_KEY]: "x" } : {};
  const problems = [
    ...checkFileForProfile(profile, sent),
    ...checkWindow(profile, input.completionWindow),
    ...(keepsMetadata ? batchMetadataFor(profile, input, ours).problems : []),
  ];
  if (problems.length) throw problemsError(problems, connectionName);
}

/** The input as built (framed and encoded by the adapter) against the provider's size limit, or the dry run's. */
export function checkBuiltSize(profile: ProviderProfile, bytes: number, dry?: DryRun) {
  const maxBytes = dry?.maxFileBytes ?? profile.limits.maxFileBytes;
  if (bytes <= maxBytes) return;
  throw new UserError(
    profile.capabilities.input === "file"
      ? `The file built for ${profile.label} is ${mb(bytes)}, over its ${mb(maxBytes)} limit.`
      : `The requests built for ${profile.label} are ${mb(bytes)}, over its ${mb(maxBytes)} limit per batch.`,
  );
}

const MAX_LISTED = 10;

/**
 * One UserError for all the problems found, each form field given its own message. `lines` says
 * what is wrong when every problem is a line's: they break the provider's limits, or cannot be sent
 * at all (a body the adapter cannot convert).
 */
export function problemsError(problems: ProfileProblem[], who: string, lines: "break its limits" | "cannot be sent" = "break its limits") {
  const fields: Record<string, string> = {};
  for (const p of problems) if (p.field && !fields[p.field]) fields[p.field] = p.message;
  if (problems.length === 1) return new UserError(problems[0].message, fields);
  const at = problems.filter((p) => p.line !== undefined).map((p) => p.line!);
  const head =
    at.length === problems.length
      ? `${who} cannot take this file: ${problems.length} lines ${lines} (lines ${at.slice(0, MAX_LISTED).join(", ")}${at.length > MAX_LISTED ? ", …" : ""}).`
      : `${who} cannot take this file (${problems.length} problems).`;
  const listed = problems.slice(0, MAX_LISTED).map((p) => p.message).join(" ");
  return new UserError(`${head} ${listed}${problems.length > MAX_LISTED ? ` …and ${problems.length - MAX_LISTED} more.` : ""}`, fields);
}

const UNFINISHED = { notIn: ["COMPLETED", "FAILED", "EXPIRED", "CANCELLED"] as BatchStatus[] };

/**
 * How many batches the provider lets one account run at once (capabilities.rateLimits): all of them
 * (Bailian: 1000 unfinished tasks) and per model (Bailian's batch-test-model: 2). Counted over this
 * connection's batches, the ones Batchboard knows of; a launch over the limit is refused before
 * anything is sent, saying how many run and when to try again.
 */
export async function checkUnfinished(prisma: Db, conn: { id: string; name: string; profile: ProviderProfile }, models: string[], dry?: DryRun) {
  const limits = conn.profile.capabilities.rateLimits;
  if (!limits) return;
  const label = conn.profile.label;
  if (limits.maxUnfinished !== undefined) {
    const n = await prisma.batch.count({ where: { connectionId: conn.id, status: UNFINISHED } });
    if (n >= limits.maxUnfinished) {
      throw new UserError(`${label} runs at most ${limits.maxUnfinished.toLocaleString("en-US")} unfinished batches per account, and ${n.toLocaleString("en-US")} are unfinished on ${conn.name}. Launch again when some have ended.`);
    }
  }
  for (const [model, max] of Object.entries(limits.maxUnfinishedPerModel ?? {})) {
    if (!(dry ? dry.model === model : models.includes(model))) continue;
    const n = await prisma.batch.count({
      where: {
        connectionId: conn.id,
        status: UNFINISHED,
        OR: [...(conn.profile.capabilities.dryRun?.model === model ? [{ dryRun: true }] : []), { dryRun: false, inputFile: { models: { has: model } } }],
      },
    });
    if (n >= max) throw new UserError(`${label} runs at most ${max} batches of ${model} at once, and ${n} are running on ${conn.name}. Launch again when one has ended.`);
  }
}
