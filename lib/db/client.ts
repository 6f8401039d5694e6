// The database: PGlite inside this process by default (data in DATA_DIR/pglite), PostgreSQL when
// DATABASE_URL is set. One Prisma client per process, opened once (migrations applied first) and
// kept on globalThis so that dev reloads and the sync worker share it.
import "server-only";
import fs from "node:fs";
import path from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { PrismaPGlite } from "pglite-prisma-adapter";
import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient } from "@/lib/generated/prisma/client";
import { env } from "@/lib/env";
import { log } from "@/lib/log";
import { lockDataFolder } from "./lock";
import { keepRowsWhole, preferLz4 } from "./compression";
import { applyMigrations } from "./migrate";
import { pgPoolSql, pgliteSql, registerSql } from "./sql";

function makeClient(adapter: PrismaPGlite | PrismaPg) {
  return new PrismaClient({
    adapter,
    // Secrets are never selected unless a query asks for them by name.
    omit: { user: { passwordHash: true }, providerConnection: { encryptedKey: true }, webhook: { encryptedUrl: true, encryptedSecret: true } },
  });
}

export type Db = ReturnType<typeof makeClient>;

export interface DbHandle {
  prisma: Db;
  kind: "pglite" | "postgres";
  /** The PostgreSQL URL, for a second instance on the same database (tests). */
  url?: string;
  close(): Promise<void>;
}

export interface OpenOptions {
  /** A PostgreSQL URL; otherwise PGlite. */
  url?: string;
  /** PGlite's data folder; "memory" for an in-memory database (tests). */
  dataDir?: string;
  /** An in-memory database's starting image (PGlite's dumpDataDir, "none"): tests start from one migrated database instead of initdb each. */
  image?: Blob;
}

export async function openDatabase(opts: OpenOptions): Promise<DbHandle> {
  if (opts.url) {
    const factory = new PrismaPg({ connectionString: opts.url, max: 10 });
    await applyMigrations(factory);
    const prisma = makeClient(factory);
    // The raw path (lib/db/sql.ts) has a small pool of its own.
    const raw = pgPoolSql(opts.url);
    registerSql(prisma, raw);
    // A speed-up, not a need: a server that refuses it (a user who does not own the tables) still opens.
    await preferLz4(raw).catch((err) => log.warn("db.lz4_not_set", { err }));
    return {
      prisma,
      kind: "postgres",
      url: opts.url,
      async close() {
        await Promise.all([prisma.$disconnect(), raw.end()]);
      },
    };
  }
  const dir = opts.dataDir ?? "memory";
  let release = () => {};
  if (dir !== "memory") {
    fs.mkdirSync(dir, { recursive: true });
    release = lockDataFolder(dir);
  }
  const pg = dir === "memory" ? new PGlite(opts.image ? { loadDataDir: opts.image } : {}) : new PGlite(dir);
  try {
    await applyMigrations(new PrismaPGlite(pg));
    await keepRowsWhole(pgliteSql(pg));
  } catch (err) {
    await pg.close();
    release();
    throw err;
  }
  const prisma = makeClient(new PrismaPGlite(pg));
  registerSql(prisma, pgliteSql(pg));
  return {
    prisma,
    kind: "pglite",
    async close() {
      await prisma.$disconnect();
      if (!pg.closed) await pg.close();
      release();
    },
  };
}

const g = globalThis as unknown as { __batchboardDb?: Promise<DbHandle> };

/** The app's database, opened on first use (instrumentation.ts opens it before the first request). */
export function database(): Promise<DbHandle> {
  g.__batchboardDb ??= (() => {
    const e = env();
    return openDatabase(e.DATABASE_URL ? { url: e.DATABASE_URL } : { dataDir: path.join(e.DATA_DIR, "pglite") });
  })().catch((err) => {
    g.__batchboardDb = undefined;
    throw err;
  });
  return g.__batchboardDb;
}

export async function db(): Promise<Db> {
  return (await database()).prisma;
}

/** Tests and scripts hand in a database of their own. */
export function setDatabase(handle: DbHandle) {
  g.__batchboardDb = Promise.resolve(handle);
}

export async function closeDatabase() {
  const h = g.__batchboardDb;
  g.__batchboardDb = undefined;
  if (h) await (await h).close();
}
