// Process start-up and clean shutdown. Next's own SIGTERM handler exits before PGlite has closed;
// scripts/start.mjs sets NEXT_MANUAL_SIG_HANDLE so that this handler runs instead.
import "server-only";
import fs from "node:fs";
import path from "node:path";
import { closeDatabase, database, type DbHandle } from "@/lib/db/client";
import { env, settings } from "@/lib/env";
import { startSyncWorker } from "@/lib/batches/engine/worker";
import { startBudgetWatcher } from "@/lib/budgets/watcher";
import { runDueQueues } from "@/lib/batches/queue";
import { failInterruptedUploads } from "@/lib/files/store";
import { cleanUpUnstored } from "@/lib/files/delete";
import { log } from "@/lib/log";
import { preloadTokenizer } from "@/lib/tokens/off-thread";
import { startDeliveryWorker } from "@/lib/notify/delivery";
import { sweepOrphanChunks } from "@/lib/providers/sandbox/blobs";
import { importLegacySandboxFolder } from "@/lib/providers/sandbox/legacy";
import { makeDataFolderPrivate, setPrivateUmask } from "./data-folder";

const g = globalThis as unknown as { __batchboardStarted?: boolean };

/**
 * Opens the database and starts the worker. A process that cannot (the data folder is another
 * process's, the database is unreachable, a setting is wrong) exits non-zero with the reason in the
 * log, rather than serve a 500 to every request.
 */
export async function startServer() {
  if (g.__batchboardStarted) return;
  g.__batchboardStarted = true;
  let started: Awaited<ReturnType<typeof start>>;
  try {
    started = await start();
  } catch (err) {
    log.error("server.start_failed", { err });
    process.exit(1);
  }
  const { worker, deliveries, budgets } = started;
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info("server.stopping", { signal });
    let code = 0;
    try {
      budgets?.stop();
      await worker?.stop();
      await deliveries?.stop();
      await closeDatabase();
      log.info("server.stopped", { signal });
    } catch (err) {
      log.error("server.stop_failed", { signal, err });
      code = 1;
    } finally {
      process.exit(code);
    }
  };
  process.once("SIGTERM", () => void stop("SIGTERM"));
  process.once("SIGINT", () => void stop("SIGINT"));
}

async function start() {
  // Before anything is written: the secrets (env() makes them on a first start), the database.
  setPrivateUmask();
  const dataDir = settings().DATA_DIR;
  const privacy = await makeDataFolderPrivate(dataDir);
  if (privacy.changed) log.info("server.data_folder_made_private", { dataDir, changed: privacy.changed });
  if (privacy.failed.length) log.warn("server.data_folder_not_private", { dataDir, paths: privacy.failed.slice(0, 20), count: privacy.failed.length });
  const e = env();
  const h = await database();
  await cleanUpInterruptedUploads(h, e.DATA_DIR);
  await cleanUpInterruptedLaunches(h, e.DATA_DIR);
  await cleanUpSandbox(h, e.DATA_DIR);
  // The token worker builds the o200k table now, on its own thread: the first upload's estimate
  // after a start then waits for no table (1-4 s) either (lib/tokens/off-thread.ts).
  void preloadTokenizer();
  // The worker also launches queued parts as their time comes or room frees (lib/batches/queue.ts).
  const worker = e.SYNC_WORKER ? startSyncWorker({ alsoEachTick: (prisma, owner) => runDueQueues(prisma, owner) }) : null;
  // The notification outbox (emails, webhooks) runs where the sync worker does, and so does the
  // budget watcher: the instances that poll batches also announce budget thresholds.
  const deliveries = e.SYNC_WORKER ? startDeliveryWorker() : null;
  const budgets = e.SYNC_WORKER ? startBudgetWatcher(async () => (await database()).prisma) : null;
  log.info("server.started", { database: h.kind, dataDir: path.resolve(e.DATA_DIR), syncWorker: e.SYNC_WORKER, logLevel: e.LOG_LEVEL, node: process.version });
  return { worker, deliveries, budgets };
}

/**
 * Uploads cut short by a crash or a kill: their InputFile rows stay "uploading" and their temp files
 * (DATA_DIR/uploads/*.part) stay on disk. The embedded database is this process's alone (the data
 * folder is locked), so everything left is a leftover. On PostgreSQL other instances may be
 * receiving uploads right now: only what is over an hour old goes.
 */
export async function cleanUpInterruptedUploads(h: Pick<DbHandle, "prisma" | "kind">, dataDir: string) {
  const olderThanMs = h.kind === "pglite" ? 0 : 60 * 60 * 1000;
  try {
    const failed = await failInterruptedUploads(h.prisma, olderThanMs);
    if (failed) log.info("server.interrupted_uploads_failed", { count: failed });
    // Uploads that stored nothing are listed for a week, then go (each new upload also clears its team's).
    const removed = await cleanUpUnstored(h.prisma);
    if (removed) log.info("server.unstored_uploads_removed", { count: removed });
  } catch (err) {
    log.error("server.interrupted_uploads_not_failed", { err });
  }
  const removed = await removeLeftovers(path.join(dataDir, "uploads"), (n) => n.endsWith(".part"), olderThanMs);
  if (removed) log.info("server.upload_temp_files_removed", { count: removed });
}

/** The provider inputs a launch builds (lib/batches/engine/launch.ts) under DATA_DIR/tmp. */
const LAUNCH_TEMP_FILE = /^batchboard-[^/]+\.(jsonl|anthropic\.json)$/;

/**
 * A launch removes its temp file whatever happens, unless the process dies during it (a kill -9, a
 * crash): the file (27 MB for a big batch) would stay forever. Same rules as for uploads: on the
 * embedded database everything left is ours; on PostgreSQL another instance sharing the folder may
 * be launching now, so only what is over an hour old goes.
 */
export async function cleanUpInterruptedLaunches(h: Pick<DbHandle, "kind">, dataDir: string) {
  const olderThanMs = h.kind === "pglite" ? 0 : 60 * 60 * 1000;
  const removed = await removeLeftovers(path.join(dataDir, "tmp"), (n) => LAUNCH_TEMP_FILE.test(n), olderThanMs);
  if (removed) log.info("server.launch_temp_files_removed", { count: removed });
}

/**
 * The sandbox's contents are in the database: a folder of an older version's files is moved in,
 * and chunks a crash left without their file or batch are removed (on PostgreSQL, only those over an
 * hour old: another instance may be writing them).
 */
export async function cleanUpSandbox(h: Pick<DbHandle, "prisma" | "kind">, dataDir: string) {
  try {
    const moved = await importLegacySandboxFolder(h.prisma, dataDir);
    if (moved.files || moved.batches) log.info("server.sandbox_files_moved_to_database", { ...moved });
  } catch (err) {
    log.warn("server.sandbox_files_not_moved", { dataDir, err });
  }
  try {
    const removed = await sweepOrphanChunks(h.prisma, h.kind === "pglite" ? 0 : 60 * 60 * 1000);
    if (removed) log.info("server.sandbox_leftovers_removed", { chunks: removed });
  } catch (err) {
    log.warn("server.sandbox_leftovers_not_removed", { err });
  }
}

/** Removes the files of `dir` whose names match and that were last written over `olderThanMs` ago. */
async function removeLeftovers(dir: string, matches: (name: string) => boolean, olderThanMs: number) {
  let names: string[] = [];
  try {
    names = await fs.promises.readdir(dir);
  } catch {
    return 0; // no such folder yet
  }
  const cutoff = Date.now() - olderThanMs;
  let removed = 0;
  for (const name of names.filter(matches)) {
    const file = path.join(dir, name);
    try {
      if (olderThanMs > 0 && (await fs.promises.stat(file)).mtimeMs > cutoff) continue;
      await fs.promises.rm(file, { force: true });
      removed++;
    } catch {
      // gone already, or not ours to remove: nothing to do at start
    }
  }
  return removed;
}
