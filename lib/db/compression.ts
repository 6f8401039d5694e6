// The long texts of requests and results are compressed with lz4 where the server has it
// (PostgreSQL 14+ built with it, as Debian's and the official images are): pglz, the default, took
// half of a 200 MB upload's time (17.1 s; 9.4-9.9 s with lz4, for ~35% more disk; docs/benchmarks.md).
// Set here, not in a migration: Prisma's schema does not model a column's compression, and its
// PostgreSQL adapter runs a migration split at every ";", so no DO block can try lz4 and fall back.
// PGlite is built without lz4: there the rows are kept whole, uncompressed, up to a page (keepRowsWhole).
// Only values stored from then on are stored so.
import type { Sql } from "./sql";

/** Table → its columns of long texts (prisma/schema.prisma). */
const LONG_TEXTS: Record<string, string[]> = {
  Request: ["prompt", "body", "source"],
  Result: ["content", "reasoningContent", "raw"],
  ResultSearch: ["doc"],
};

/** Whether the server can compress with lz4 (it lists lz4 among default_toast_compression's values). */
export async function hasLz4(db: Sql): Promise<boolean> {
  const [has] = await db.query<{ lz4: boolean }>(`SELECT 'lz4' = ANY(enumvals) AS "lz4" FROM pg_settings WHERE name = 'default_toast_compression'`);
  return !!has?.lz4;
}

/** Sets lz4 on LONG_TEXTS' columns still on another method, if the server has lz4; the tables changed. */
export async function preferLz4(db: Sql): Promise<string[]> {
  if (!(await hasLz4(db))) return [];
  const pairs = Object.entries(LONG_TEXTS).flatMap(([table, columns]) => columns.map((column) => ({ table, column })));
  const todo = await db.query<{ table: string; column: string }>(
    `SELECT c.relname AS "table", a.attname AS "column"
     FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid
     WHERE c.relnamespace = current_schema()::regnamespace AND a.attcompression IS DISTINCT FROM 'l'
       AND (c.relname, a.attname) IN (SELECT t, col FROM unnest($1::text[], $2::text[]) AS p(t, col))`,
    [pairs.map((p) => p.table), pairs.map((p) => p.column)],
  );
  const tables = [...new Set(todo.map((t) => t.table))];
  if (!tables.length) return [];
  // A change of the catalog alone, but under the table's strongest lock: behind another instance's
  // long export it would hold up every query of the table. It gives up after 2 s (the next start
  // tries again).
  await db.session(async (s) => {
    await s.exec("BEGIN");
    try {
      await s.exec("SET LOCAL lock_timeout = '2s'");
      for (const table of tables) {
        const columns = todo.filter((t) => t.table === table).map((t) => `ALTER COLUMN "${t.column}" SET COMPRESSION lz4`);
        await s.exec(`ALTER TABLE "${table}" ${columns.join(", ")}`);
      }
      await s.exec("COMMIT");
    } catch (err) {
      await s.exec("ROLLBACK");
      throw err;
    }
  });
  return tables;
}

/**
 * Where the server has no lz4 (PGlite), a request is stored whole up to a page (8 KB) instead of
 * its long texts compressed with pglz as soon as the row passes 2 KB: pglz, run inside PGlite's
 * WebAssembly, took half of a 200 MB upload of 4 KB requests (a COPY of its rows 13.4 s compressed,
 * 6.2 s whole), for ~3x the disk on that file's repetitive text (133 MB against 415 MB; less on real
 * text, which pglz compresses less). Longer rows are still compressed, down to a page.
 * ANALYZE holds its sample rows in memory, and PGlite's memory never shrinks: 30,000 whole rows (the
 * default statistics target's sample) grew the process by 270 MB. The table's statistics target is 10
 * (a sample of 3,000 rows), enough for plans that find a file's requests by index.
 * Returns the tables changed.
 */
export async function keepRowsWhole(db: Sql): Promise<string[]> {
  if (await hasLz4(db)) return [];
  // What is not set yet: the storage parameter, and the statistics target of columns (a column a later
  // migration adds starts at the default).
  const [request] = await db.query<{ set: boolean; columns: string[] }>(
    `SELECT coalesce('toast_tuple_target=${WHOLE_ROW}' = ANY(c.reloptions), false) AS "set",
            array(SELECT a.attname::text FROM pg_attribute a WHERE a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
                  AND a.attstattarget IS DISTINCT FROM ${SAMPLE_TARGET} ORDER BY a.attnum) AS "columns"
     FROM pg_class c WHERE c.oid = '"Request"'::regclass`,
  );
  const changes = [...(request.set ? [] : [`SET (toast_tuple_target = ${WHOLE_ROW})`]), ...request.columns.map((c) => `ALTER COLUMN "${c}" SET STATISTICS ${SAMPLE_TARGET}`)];
  if (!changes.length) return [];
  await db.exec(`ALTER TABLE "Request" ${changes.join(", ")}`);
  return ["Request"];
}

/** The largest toast_tuple_target PostgreSQL takes: a row's room on an 8 KB page. */
const WHOLE_ROW = 8160;
/** ANALYZE samples 300 rows per point of the largest statistics target of the columns it reads. */
const SAMPLE_TARGET = 10;
