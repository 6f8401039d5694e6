// What uploads may take: a team's storage quota (TEAM_STORAGE_QUOTA_MB, 0 = none) on the bytes of
// its stored files, and a user's uploads at once (MAX_UPLOADS_PER_USER, 0 = no limit), counted as
// the InputFile rows still "uploading" that the user started. A row is reserved when the file part
// of an upload starts, under a lock on the user's row, so two uploads arriving at the same instant
// (on several instances sharing one PostgreSQL) cannot both take the last place.
import "server-only";
import type { Db } from "@/lib/db/client";
import { UserError } from "@/lib/errors";
import type { Prisma } from "@/lib/generated/prisma/client";
import { formatBytes, plural } from "./format";

/** An upload "uploading" for longer than this was cut short by a stopped server (failInterruptedUploads): it holds no place. */
export const STALE_UPLOAD_MS = 60 * 60 * 1000;

/** A limit of uploads an upload runs into: answered with `status` and the message. */
export class UploadLimitError extends UserError {
  constructor(
    readonly status: 413 | 429,
    message: string,
  ) {
    super(message);
    this.name = "UploadLimitError";
  }
}

/** Bytes a team's files hold: the valid ones, and those being stored (their size is set before their requests are). */
export async function storedBytes(prisma: Db, teamId: string, exceptFileId?: string): Promise<number> {
  const r = await prisma.inputFile.aggregate({
    where: { teamId, status: { in: ["valid", "uploading"] }, ...(exceptFileId ? { id: { not: exceptFileId } } : {}) },
    _sum: { bytes: true },
  });
  return Number(r._sum.bytes ?? 0);
}

export function quotaMessage(quota: number, used: number): string {
  return (
    `This upload would take the team past its storage quota of ${formatBytes(quota)}: its files hold ${formatBytes(used)} already. ` +
    "Make room by deleting files no batch uses (the Delete button on a file's page), or ask whoever runs Batchboard to raise TEAM_STORAGE_QUOTA_MB."
  );
}

export function quotaError(quota: number, used: number) {
  return new UploadLimitError(413, quotaMessage(quota, used));
}

function tooManyUploads(max: number) {
  return new UploadLimitError(
    429,
    `You already have ${plural(max, "upload")} in progress, the most one person may run at once. Wait for one to finish (the Files page shows them), then upload this file.`,
  );
}

const inProgress = (userId: string): Prisma.InputFileWhereInput => ({
  createdById: userId,
  status: "uploading",
  createdAt: { gt: new Date(Date.now() - STALE_UPLOAD_MS) },
});

/** Refuses a user already running `max` uploads (0: no limit). A quick look before the body is read; reserveUpload decides. */
export async function checkUploadsInProgress(prisma: Db, userId: string | null, max: number): Promise<void> {
  if (!userId || max <= 0) return;
  if ((await prisma.inputFile.count({ where: inProgress(userId) })) >= max) throw tooManyUploads(max);
}

/**
 * Creates the "uploading" row of an upload unless its user already runs `max` of them. The user's
 * row is locked for the count and the insert: a second upload of the same user waits for the first
 * to be counted.
 */
export async function reserveUpload(prisma: Db, data: Prisma.InputFileUncheckedCreateInput, max: number): Promise<string> {
  const userId = data.createdById;
  if (!userId || max <= 0) return (await prisma.inputFile.create({ data, select: { id: true } })).id;
  return prisma.$transaction(async (tx) => {
    await tx.$queryRaw`SELECT 1 FROM "User" WHERE "id" = ${userId} FOR UPDATE`;
    if ((await tx.inputFile.count({ where: inProgress(userId) })) >= max) throw tooManyUploads(max);
    return (await tx.inputFile.create({ data, select: { id: true } })).id;
  });
}
