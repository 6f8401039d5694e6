// The launch form's verdict on a file and a connection, as soon as both are chosen: the very checks
// launchBatch makes before anything is sent (engine/checks.ts: the file against the connection's
// profile, its unfinished batches, the models its key may use; then every line as the adapter would
// build it, input-file.ts, written nowhere), with the limits it was checked against. Where the file is
// over limits that splitting fixes (splittable.ts), the verdict says so and the form shows the plan.
import "server-only";
import os from "node:os";
import { db } from "@/lib/db/client";
import { NotFoundError, UserError } from "@/lib/errors";
import { loadConnection } from "@/lib/providers/adapters";
import { checkFileForProfile } from "@/lib/providers/checks";
import { checkModels } from "@/lib/providers/models";
import type { ActorContext } from "./engine/lease";
import { checkAgainstProfile, checkBuiltSize, checkUnfinished, dryRunFor } from "./engine/checks";
import { writeInput } from "./engine/input-file";
import type { CheckLaunchInput, LaunchBatchInput } from "./schemas";
import { splitCanFix } from "./splittable";
import { splitLimits } from "./split";

/** What the file was checked against: the connection, its provider, and the limits that applied. */
export interface CheckedAgainst {
  connection: string;
  provider: string;
  maxRequests: number;
  maxFileBytes: number;
  maxLineBytes: number;
  oneModelPerBatch: boolean;
}

export type LaunchVerdict =
  | { verdict: "valid"; against: CheckedAgainst; requests: number }
  /** Over limits as one batch, in a way that launching it as several fixes (the form shows the plan). */
  | { verdict: "split"; against: CheckedAgainst; problems: string[] }
  | { verdict: "invalid"; against: CheckedAgainst; message: string };

export async function checkLaunch(input: CheckLaunchInput, ctx: ActorContext): Promise<LaunchVerdict> {
  const prisma = await db();
  const file = await prisma.inputFile.findFirst({ where: { id: input.inputFileId, teamId: ctx.team.id } });
  if (!file) throw new NotFoundError("That file");
  const conn = await loadConnection(prisma, ctx.team.id, input.connectionId, { maxRetries: 0 });
  const { profile } = conn;
  const limits = splitLimits(profile, input.endpoint);
  const against: CheckedAgainst = {
    connection: conn.name,
    provider: profile.label,
    maxRequests: limits.maxRequests,
    maxFileBytes: limits.maxFileBytes,
    maxLineBytes: profile.limits.maxLineBytes,
    oneModelPerBatch: limits.oneModelPerBatch,
  };
  try {
    const dry = input.dryRun ? dryRunFor(profile, file, conn.name) : undefined;
    if (!dry && splitCanFix(profile, file)) {
      return { verdict: "split", against, problems: checkFileForProfile(profile, file).map((p) => p.message) };
    }
    // The form's own fields (name, description) are checked where they are typed; this is about the file.
    const asLaunched: LaunchBatchInput = { ...input, completionWindow: input.completionWindow ?? profile.completionWindows[0] ?? "24h", name: "x", idempotencyKey: "launch-check" };
    checkAgainstProfile(file, asLaunched, profile, conn.name, dry);
    await checkUnfinished(prisma, conn, file.models, dry);
    await checkModels(conn, dry ? [dry.model] : file.models);
    const written = await writeInput(prisma, { fileId: file.id, endpoint: dry?.endpoint ?? input.endpoint, dest: os.devNull, profile, adapter: conn.adapter, dry });
    checkBuiltSize(profile, written.bytes, dry);
    return { verdict: "valid", against, requests: written.lines };
  } catch (err) {
    if (!(err instanceof UserError) || err instanceof NotFoundError) throw err;
    return { verdict: "invalid", against, message: err.message };
  }
}
