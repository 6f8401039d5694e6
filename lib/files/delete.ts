// Deleting a file of the team, to make room under its storage quota or to clear an upload that
// stored nothing. Members and above may. What uses the file is shown first (fileUsage): a file a
// batch was launched from stays (the batch's results are read beside its requests; a running one
// still sends them), so does one a job launches from (its queued parts read its lines), and one still
// being uploaded. The template a CSV was mapped with stays either way. Another team's file is "not found".
import "server-only";
import type { TeamContext } from "@/lib/auth/context";
import { can } from "@/lib/auth/roles";
import { audit } from "@/lib/audit";
import type { Db } from "@/lib/db/client";
import { NotFoundError, UserError } from "@/lib/errors";
import { isTerminal } from "@/lib/providers/status";
import type { BatchStatus } from "@/lib/generated/prisma/client";
import { plural } from "./format";

export interface FileUsage {
  batches: { id: string; name: string; status: BatchStatus; running: boolean }[];
  jobs: { id: string; name: string; queuedParts: number }[];
  /** The saved CSV template the file was mapped with: it stays when the file goes. */
  template: { id: string; name: string | null } | null;
  /** Why the file cannot be deleted now, or null when it can. */
  blocked: string | null;
}

const SHOWN = 20;

/** What uses a file of the team, and whether it may be deleted; null for no such file. */
export async function fileUsage(prisma: Db, teamId: string, fileId: string): Promise<FileUsage | null> {
  const file = await prisma.inputFile.findFirst({ where: { id: fileId, teamId }, select: { id: true, status: true, csv: true, _count: { select: { batches: true } } } });
  if (!file) return null;
  const [batches, jobs] = await Promise.all([
    prisma.batch.findMany({ where: { teamId, inputFileId: fileId }, orderBy: { createdAt: "desc" }, take: SHOWN, select: { id: true, name: true, status: true } }),
    prisma.job.findMany({ where: { teamId, inputFileId: fileId }, orderBy: { createdAt: "desc" }, take: SHOWN, select: { id: true, name: true, _count: { select: { queuedParts: { where: { state: "queued" } } } } } }),
  ]);
  const templateId = (file.csv as { templateId?: unknown } | null)?.templateId;
  const template =
    typeof templateId === "string"
      ? { id: templateId, name: (await prisma.promptTemplate.findFirst({ where: { id: templateId, teamId }, select: { name: true } }))?.name ?? null }
      : null;
  const usage = {
    batches: batches.map((b) => ({ ...b, running: !isTerminal(b.status) })),
    jobs: jobs.map((j) => ({ id: j.id, name: j.name, queuedParts: j._count.queuedParts })),
    template,
  };
  return { ...usage, blocked: blockedReason(file.status, file._count.batches, usage) };
}

function blockedReason(status: string, batchCount: number, u: Pick<FileUsage, "batches" | "jobs">): string | null {
  if (status === "uploading") return "This file is still being uploaded. Wait for it to end, then delete it.";
  const running = u.batches.filter((b) => b.running).length;
  if (running > 0) return `${plural(running, "batch is", "batches are")} still running on this file: it stays while they send its requests. Cancel ${running === 1 ? "it" : "them"} or wait for the end.`;
  if (batchCount > 0) return `${plural(batchCount, "batch", "batches")} ran on this file: it stays while they do, since their results are shown beside its requests.`;
  const queued = u.jobs.reduce((n, j) => n + j.queuedParts, 0);
  if (queued > 0) return `${plural(queued, "part")} of a job still wait${queued === 1 ? "s" : ""} to launch from this file: it stays until they are launched or cancelled.`;
  if (u.jobs.length > 0) return `${plural(u.jobs.length, "job")} was launched from this file: it stays with ${u.jobs.length === 1 ? "it" : "them"}.`;
  return null;
}

type DeleteContext = { team: { id: string } & Partial<TeamContext["team"]>; user: { id: string } & Partial<TeamContext["user"]>; role: TeamContext["role"] };

export async function deleteFile(prisma: Db, ctx: DeleteContext, fileId: string): Promise<{ name: string; bytes: number }> {
  if (!can.run(ctx.role)) throw new UserError("Deleting files needs the member role or above.");
  const file = await prisma.inputFile.findFirst({ where: { id: fileId, teamId: ctx.team.id }, select: { id: true, name: true, bytes: true } });
  const usage = file && (await fileUsage(prisma, ctx.team.id, fileId));
  if (!file || !usage) throw new NotFoundError("That file");
  if (usage.blocked) throw new UserError(usage.blocked);
  // A batch launched meanwhile keeps the file: the statement deletes only a file no batch uses (requests cascade).
  const { count } = await prisma.inputFile.deleteMany({ where: { id: file.id, teamId: ctx.team.id, status: { not: "uploading" }, batches: { none: {} } } });
  if (count === 0) throw new UserError("A batch was just launched on this file: it stays while the batch does.");
  await audit(prisma, { teamId: ctx.team.id, actorId: ctx.user.id, action: "file.deleted", targetType: "file", targetId: file.id, targetLabel: file.name, data: { name: file.name, bytes: Number(file.bytes) } });
  return { name: file.name, bytes: Number(file.bytes) };
}

/** Files that stored nothing (invalid, or failed on our side) stay listed this long, then go (cleanUpUnstored). */
export const UNSTORED_KEEP_MS = 7 * 24 * 60 * 60 * 1000;

/**
 * Removes uploads that stored nothing and are older than `olderThanMs` (a team's, or every team's):
 * they would otherwise stay listed forever. No batch or job can use them. Returns how many went.
 */
export async function cleanUpUnstored(prisma: Db, opts: { teamId?: string; olderThanMs?: number } = {}): Promise<number> {
  const before = new Date(Date.now() - (opts.olderThanMs ?? UNSTORED_KEEP_MS));
  const { count } = await prisma.inputFile.deleteMany({
    where: { ...(opts.teamId ? { teamId: opts.teamId } : {}), status: { in: ["invalid", "failed"] }, origin: "upload", createdAt: { lt: before }, batches: { none: {} } },
  });
  return count;
}
