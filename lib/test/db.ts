// A fresh, migrated database for one test file: PGlite in memory, or, when TEST_DATABASE_URL is
// set, a new PostgreSQL database made for this file and dropped after it.
import crypto from "node:crypto";
import pg from "pg";
import { openDatabase, setDatabase, type DbHandle } from "@/lib/db/client";
import { settings } from "@/lib/env";

export async function createTestDb(): Promise<DbHandle> {
  const admin = settings().TEST_DATABASE_URL;
  if (!admin) {
    const h = await openDatabase({ dataDir: "memory" });
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

