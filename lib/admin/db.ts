// The database an admin command works on: the server's own, from the same settings (DATABASE_URL,
// else DATA_DIR's embedded database, whose folder lock makes the command refuse, in one line, while a
// server runs on it: lib/db/lock.ts's DataFolderInUse).
import "server-only";
import path from "node:path";
import { openDatabase, type Db } from "@/lib/db/client";
import { env } from "@/lib/env";

export async function withDatabase<T>(work: (prisma: Db) => Promise<T>): Promise<T> {
  const e = env();
  const h = await openDatabase(e.DATABASE_URL ? { url: e.DATABASE_URL } : { dataDir: path.join(e.DATA_DIR, "pglite") });
  try {
    return await work(h.prisma);
  } finally {
    await h.close();
  }
}
