// The files a connection's provider keeps for its key (the connection's files page): each with the
// batches of this team that used it (input, output or error file), whether a batch still needs it
// (one that has not ended, or whose results are not stored yet), and deleting one file or every file
// no batch needs. Provider quotas (Moonshot: 1,000 files; Bailian: 10,000 files or 100 GB) fill up
// otherwise. Also the connection's two file settings: delete input files once a batch has ended
// (the worker, engine/cleanup.ts), and OpenAI's expires_after for files a batch leaves behind.
import "server-only";
import type { Db } from "@/lib/db/client";
import { audit } from "@/lib/audit";
import { UserError } from "@/lib/errors";
import { log } from "@/lib/log";
import type { RemoteFile } from "@/lib/providers/adapter";
import { loadConnection } from "@/lib/providers/adapters";
import { describeFailure } from "@/lib/providers/failure";
import { isTerminal } from "@/lib/providers/status";
import type { ActorContext } from "@/lib/batches/engine/lease";

export interface ProviderFileRow {
  id: string;
  name: string | null;
  bytes: number | null;
  purpose: string | null;
  createdAt: string | null;
  expiresAt: string | null;
  /** Batches of this team that used the file, and as what. */
  batches: { id: string; name: string; role: "input" | "output" | "error" }[];
  /** A batch still needs it: it has not ended, or its results are not stored yet. */
  inUse: boolean;
}

export interface ProviderFilesView {
  connection: { id: string; name: string; kind: string; providerLabel: string; deleteInputFiles: boolean; fileExpiryDays: number | null };
  /** The provider keeps no files (Anthropic: requests go inline). */
  noFiles: boolean;
  /** Files can be given an expiry (OpenAI), and its bounds in days. */
  expiry: { minDays: number; maxDays: number } | null;
  files: ProviderFileRow[];
  truncated: boolean;
}

type BatchRef = { id: string; name: string; status: Parameters<typeof isTerminal>[0]; resultsIngestedAt: Date | null; providerInputFileId: string | null; outputFileId: string | null; errorFileId: string | null };

async function batchesOf(prisma: Db, connectionId: string, fileIds: string[]): Promise<BatchRef[]> {
  if (!fileIds.length) return [];
  return prisma.batch.findMany({
    where: { connectionId, OR: [{ providerInputFileId: { in: fileIds } }, { outputFileId: { in: fileIds } }, { errorFileId: { in: fileIds } }] },
    select: { id: true, name: true, status: true, resultsIngestedAt: true, providerInputFileId: true, outputFileId: true, errorFileId: true },
    orderBy: { createdAt: "desc" },
  });
}

const needs = (b: BatchRef) => !isTerminal(b.status) || !b.resultsIngestedAt;

function rowsOf(files: RemoteFile[], batches: BatchRef[]): ProviderFileRow[] {
  return files.map((f) => {
    const used = batches.flatMap((b) => {
      const role = b.providerInputFileId === f.id ? "input" : b.outputFileId === f.id ? "output" : b.errorFileId === f.id ? "error" : null;
      return role ? [{ b, role: role as "input" | "output" | "error" }] : [];
    });
    return {
      id: f.id,
      name: f.name,
      bytes: f.bytes,
      purpose: f.purpose,
      createdAt: f.createdAt?.toISOString() ?? null,
      expiresAt: f.expiresAt?.toISOString() ?? null,
      batches: used.map(({ b, role }) => ({ id: b.id, name: b.name, role })),
      inUse: used.some(({ b }) => needs(b)),
    };
  });
}

export async function providerFiles(prisma: Db, ctx: ActorContext, connectionId: string): Promise<ProviderFilesView> {
  const conn = await loadConnection(prisma, ctx.team.id, connectionId, { maxRetries: 1, timeoutMs: 30_000 });
  const settings = await prisma.providerConnection.findUniqueOrThrow({ where: { id: conn.id }, select: { deleteInputFiles: true, fileExpiryDays: true } });
  const range = conn.profile.capabilities.fileExpiry;
  const base = {
    connection: { id: conn.id, name: conn.name, kind: conn.kind, providerLabel: conn.profile.label, ...settings },
    noFiles: !conn.profile.capabilities.files,
    expiry: range ? { minDays: Math.ceil(range.minSeconds / 86_400), maxDays: Math.floor(range.maxSeconds / 86_400) } : null,
  };
  if (base.noFiles) return { ...base, files: [], truncated: false };
  const list = await inWords(conn.name, () => conn.adapter.listFiles(5_000));
  const batches = await batchesOf(prisma, conn.id, list.files.map((f) => f.id));
  return { ...base, files: rowsOf(list.files, batches), truncated: list.truncated };
}

/** A provider's failure as words for the page (the limiter's own are words already). */
async function inWords<T>(connectionName: string, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (err) {
    if (err instanceof UserError) throw err;
    log.warn("provider_files.failed", { err });
    throw new UserError(`${connectionName} did not answer as expected: ${describeFailure(err)}.`);
  }
}

/** Deletes one file at the provider, unless a batch still needs it. */
export async function deleteProviderFile(prisma: Db, ctx: ActorContext, connectionId: string, fileId: string) {
  const conn = await loadConnection(prisma, ctx.team.id, connectionId, { maxRetries: 1, timeoutMs: 30_000 });
  if (!conn.profile.capabilities.files) throw new UserError(`${conn.profile.label} keeps no files.`);
  const using = (await batchesOf(prisma, conn.id, [fileId])).filter(needs);
  if (using.length) throw new UserError(`The batch "${using[0].name}" still needs this file: it has not ended, or its results are not stored yet.`);
  await inWords(conn.name, () => conn.adapter.deleteFile(fileId));
  await audit(prisma, { teamId: ctx.team.id, actorId: ctx.user.id, action: "provider_file.deleted", targetType: "connection", targetId: conn.id, data: { fileId } });
  return { deleted: 1 };
}

/** Deletes every file at the provider that no batch of the team still needs; says how many, and any that failed. */
export async function deleteUnusedProviderFiles(prisma: Db, ctx: ActorContext, connectionId: string) {
  const view = await providerFiles(prisma, ctx, connectionId);
  const conn = await loadConnection(prisma, ctx.team.id, connectionId, { maxRetries: 1, timeoutMs: 30_000 });
  const unused = view.files.filter((f) => !f.inUse);
  let deleted = 0;
  let failed = 0;
  for (const f of unused) {
    try {
      await conn.adapter.deleteFile(f.id);
      deleted++;
    } catch (err) {
      failed++;
      log.warn("provider_files.delete_failed", { connectionId: conn.id, fileId: f.id, err });
      // Held back (a rate limit or a 429): the rest would be too.
      if (err instanceof UserError) break;
    }
  }
  await audit(prisma, { teamId: ctx.team.id, actorId: ctx.user.id, action: "provider_file.deleted_unused", targetType: "connection", targetId: conn.id, data: { deleted, failed } });
  return { deleted, failed, left: unused.length - deleted };
}

/** The connection's file settings (admins). */
export async function saveFileSettings(prisma: Db, ctx: ActorContext, connectionId: string, s: { deleteInputFiles: boolean; fileExpiryDays: number | null }) {
  const conn = await loadConnection(prisma, ctx.team.id, connectionId);
  const range = conn.profile.capabilities.fileExpiry;
  if (s.fileExpiryDays !== null) {
    if (!range) throw new UserError(`${conn.profile.label} takes no expiry for its files.`, { fileExpiryDays: "Not offered by this provider." });
    const [min, max] = [Math.ceil(range.minSeconds / 86_400), Math.floor(range.maxSeconds / 86_400)];
    if (s.fileExpiryDays < min || s.fileExpiryDays > max) {
      const msg = `${conn.profile.label} keeps a file between ${min} and ${max} days before it expires.`;
      throw new UserError(msg, { fileExpiryDays: msg });
    }
  }
  await prisma.providerConnection.update({ where: { id: conn.id }, data: s });
  await audit(prisma, { teamId: ctx.team.id, actorId: ctx.user.id, action: "connection.file_settings", targetType: "connection", targetId: conn.id, data: s });
  return s;
}
