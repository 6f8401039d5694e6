// A fresh, migrated database for one test file: PGlite in memory, or, when TEST_DATABASE_URL is
// set, a new PostgreSQL database made for this file and dropped after it.
import crypto from "node:crypto";
import fs from "node:fs";
import pg from "pg";
import { openDatabase, setDatabase, type DbHandle } from "@/lib/db/client";
import { settings } from "@/lib/env";

export async function createTestDb(): Promise<DbHandle> {
  const admin = settings().TEST_DATABASE_URL;
  if (!admin) {
    const h = await openDatabase({ dataDir: "memory", image: image() });
    setDatabase(h);
    return h;
  }
  const name = `bb_test_${crypto.randomBytes(6).toString("hex")}`;
  const client = new pg.Client({ connectionString: admin });
  await client.connect();
  await client.query(`CREATE DATABASE ${name}`);
  await client.end();
  const url = new URL(admin);
  url.pathname = `/${name}`;
  const h = await openDatabase({ url: url.toString() });
  setDatabase(h);
  return {
    ...h,
    async close() {
      await h.close();
      const c = new pg.Client({ connectionString: admin });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    },
  };
}

let cached: Blob | undefined;
/**
 * The migrated database vitest's global setup dumped (lib/test/global-setup.ts), when it ran: a copy
 * loads in ~0.4 s, a fresh one takes initdb and the migrations (~2 s, 5-10 s on a busy machine).
 */
function image(): Blob | undefined {
  const file = process.env.BB_TEST_PGLITE_IMAGE;
  if (!file) return undefined;
  cached ??= new Blob([fs.readFileSync(file)]);
  return cached;
}
