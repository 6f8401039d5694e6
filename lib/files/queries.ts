// Reads of a team's files for the Files pages and the launch form. Every read is filtered by team:
// another team's file is simply not there.
import "server-only";
import type { Db } from "@/lib/db/client";
import type { Prisma } from "@/lib/generated/prisma/client";
import type { FileFilter } from "./list-filter";
import type { FileStatus, Problem } from "./types";

export const FILES_PAGE_SIZE = 20;

export interface FileSummary {
  id: string;
  name: string;
  endpoint: string;
  status: FileStatus;
  bytes: number;
  lineCount: number;
  requestCount: number;
  models: string[];
  problemCount: number;
  /** upload | import (an imported batch's input) | retry (the requests a retry sent) */
  origin: string;
  format: string;
  createdAt: Date;
  uploadedBy: string | null;
  /** Whose limits it was checked against; null: any provider (the loosest limits). */
  checkedFor: string | null;
}

export interface FileDetails extends FileSummary {
  sha256: string | null;
  problems: Problem[];
  warningCount: number;
  warnings: Problem[];
}

const summarySelect = {
  id: true,
  name: true,
  endpoint: true,
  status: true,
  bytes: true,
  lineCount: true,
  requestCount: true,
  models: true,
  problemCount: true,
  origin: true,
  format: true,
  createdAt: true,
  createdById: true,
  checkedFor: true,
} satisfies Prisma.InputFileSelect;

type SummaryRow = Prisma.InputFileGetPayload<{ select: typeof summarySelect }>;

async function uploaderNames(prisma: Db, ids: (string | null)[]) {
  const wanted = [...new Set(ids.filter((x): x is string => !!x))];
  if (wanted.length === 0) return new Map<string, string>();
  const users = await prisma.user.findMany({ where: { id: { in: wanted } }, select: { id: true, name: true } });
  return new Map(users.map((u) => [u.id, u.name]));
}

function toSummary(row: SummaryRow, names: Map<string, string>): FileSummary {
  const { createdById, bytes, status, ...rest } = row;
  return { ...rest, status: status as FileStatus, bytes: Number(bytes), uploadedBy: createdById ? (names.get(createdById) ?? null) : null };
}

function filterWhere(teamId: string, f: FileFilter): Prisma.InputFileWhereInput {
  return {
    teamId,
    ...(f.q ? { name: { contains: f.q, mode: "insensitive" as const } } : {}),
    ...(f.status ? { status: f.status } : {}),
    ...(f.type ? { format: f.type } : {}),
  };
}

/** The team's files (those the filter keeps), newest first; `page` is 1-based and clamped to the pages there are. */
export async function listFiles(prisma: Db, teamId: string, page = 1, pageSize = FILES_PAGE_SIZE, filter: FileFilter = {}) {
  const where = filterWhere(teamId, filter);
  const total = await prisma.inputFile.count({ where });
  const pageCount = Math.max(1, Math.ceil(total / pageSize));
  const current = Math.min(Math.max(1, Math.floor(page) || 1), pageCount);
  const rows = await prisma.inputFile.findMany({
    where,
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    skip: (current - 1) * pageSize,
    take: pageSize,
    select: summarySelect,
  });
  const names = await uploaderNames(prisma, rows.map((r) => r.createdById));
  return { files: rows.map((r) => toSummary(r, names)), total, page: current, pageCount, pageSize };
}

/** One file of the team, or null (also for another team's file). */
export async function getFile(prisma: Db, teamId: string, id: string): Promise<FileDetails | null> {
  const row = await prisma.inputFile.findFirst({ where: { id, teamId }, select: { ...summarySelect, sha256: true, problems: true, warningCount: true, warnings: true } });
  if (!row) return null;
  const { sha256, problems, warningCount, warnings, ...summary } = row;
  const names = await uploaderNames(prisma, [row.createdById]);
  const list = (v: unknown) => (Array.isArray(v) ? (v as unknown as Problem[]) : []);
  return { ...toSummary(summary, names), sha256, problems: list(problems), warningCount, warnings: list(warnings) };
}

/** The first requests of a file of the team, in line order. */
export async function firstRequests(prisma: Db, teamId: string, fileId: string, take = 50) {
  return prisma.request.findMany({
    where: { fileId, file: { teamId } },
    orderBy: { line: "asc" },
    take,
    select: { line: true, customId: true, model: true, prompt: true },
  });
}

/** The team's valid files, newest first: what a batch can be launched from. */
export async function launchableFiles(prisma: Db, teamId: string, take = 100) {
  return prisma.inputFile.findMany({
    where: { teamId, status: "valid" },
    orderBy: { createdAt: "desc" },
    take,
    select: { id: true, name: true, endpoint: true, requestCount: true, models: true, createdAt: true },
  });
}

/** Batches launched from a file of the team, newest first. */
export async function batchesOfFile(prisma: Db, teamId: string, fileId: string, take = 20) {
  return prisma.batch.findMany({
    where: { teamId, inputFileId: fileId },
    orderBy: { createdAt: "desc" },
    take,
    select: { id: true, name: true, status: true, total: true, completed: true, failed: true, createdAt: true },
  });
}
