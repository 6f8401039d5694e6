// Vitest's global setup: one migrated PGlite database, dumped to a file that each test file's
// createTestDb (lib/test/db.ts) loads instead of running initdb and every migration again. The test
// workers start after this and inherit the variable that names the file. PostgreSQL passes need
// none: a database is made there in ~0.4 s.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { PrismaPGlite } from "pglite-prisma-adapter";
import { applyMigrations } from "@/lib/db/migrate";
import { keepRowsWhole } from "@/lib/db/compression";
import { pgliteSql } from "@/lib/db/sql";

export default async function setup() {
  if (process.env.TEST_DATABASE_URL) return;
  const pg = new PGlite();
  try {
    await applyMigrations(new PrismaPGlite(pg));
    // As openDatabase does after the migrations (lib/db/client.ts).
    await keepRowsWhole(pgliteSql(pg));
    const file = path.join(os.tmpdir(), `batchboard-test-image-${process.pid}.tar`);
    fs.writeFileSync(file, Buffer.from(await (await pg.dumpDataDir("none")).arrayBuffer()));
    process.env.BB_TEST_PGLITE_IMAGE = file;
    return () => fs.rmSync(file, { force: true });
  } finally {
    await pg.close();
  }
}
