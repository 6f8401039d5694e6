// The limits the upload and the ingest are measured against (issue 18), on the same file in the
// same run: what Node takes to split it into lines and JSON.parse each (bare parse), and what the
// database takes to COPY the same raw lines into a table of one text column (raw COPY): PostgreSQL
// fed over the wire (COPY FROM STDIN, pg-copy-streams), PGlite a fresh database of its own fed
// 8 MB pieces through a file of its in-memory file system (it has no STDIN to feed).
// Also the table's own cost (table COPY): the same requests or results, parsed and written as the
// upload's or the ingest's COPY rows before the clock starts, COPYed into a scratch table made LIKE
// "Request" or "Result" INCLUDING ALL (columns, defaults, indexes) in the bench's own database: what
// storing these rows in this table costs with no parse, no checks, no HTTP and no staging; then into
// one made LIKE it with its columns alone (no index, no key): the floor under any table of these columns.
// In bench/step.ts: `step.ts limits <dataDir | postgresql://...> <file> [results]` (results: an output file).
import fs from "node:fs";
import path from "node:path";
import { pipeline } from "node:stream/promises";
import { PGlite } from "@electric-sql/pglite";
import pg from "pg";
import { from as copyFrom } from "pg-copy-streams";
import { readLines } from "@/lib/files/read-lines";
import { COPY_CSV_OPTIONS } from "@/lib/db/sql";
import { RESULT_COPY_COLUMNS, resultCopyRow } from "@/lib/batches/engine/ingest";
import { parseResultLine } from "@/lib/providers/openai-compatible/results";
import { REQUEST_COPY, requestCopyRow, rowOf } from "@/lib/files/store";

// CSV with delimiter and quote bytes no JSON line holds raw (control characters are escaped in
// JSON): each line lands whole, byte for byte, in the one column.
const COPY = `COPY bench_raw (line) FROM STDIN WITH (FORMAT csv, DELIMITER E'\\x02', QUOTE E'\\x01')`;
const PIECE = 8 * 1024 * 1024;

async function bareParse(file: string) {
  const t = performance.now();
  let lines = 0;
  for await (const { text } of readLines(file, { maxLineBytes: 1 << 30 })) {
    if (!text || text.length === 0) continue;
    JSON.parse(text.toString("utf8"));
    lines++;
  }
  return { parseSeconds: (performance.now() - t) / 1000, lines };
}

/** Whole lines of the file, about PIECE bytes at a time. */
async function* pieces(file: string) {
  let rest: Buffer = Buffer.alloc(0);
  for await (const chunk of fs.createReadStream(file, { highWaterMark: PIECE })) {
    const buf = rest.length ? Buffer.concat([rest, chunk as Buffer]) : (chunk as Buffer);
    const end = buf.lastIndexOf(10);
    if (end < 0) {
      rest = buf;
      continue;
    }
    yield buf.subarray(0, end + 1);
    rest = Buffer.from(buf.subarray(end + 1));
  }
  if (rest.length) yield rest;
}

async function rawCopyPostgres(url: string, file: string) {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    await c.query(`DROP TABLE IF EXISTS bench_raw; CREATE TABLE bench_raw (line text)`);
    const t = performance.now();
    const stream = c.query(copyFrom(COPY));
    await pipeline(fs.createReadStream(file), stream);
    return { copySeconds: (performance.now() - t) / 1000, copied: stream.rowCount };
  } finally {
    await c.query(`DROP TABLE IF EXISTS bench_raw`).catch(() => {});
    await c.end();
  }
}

async function rawCopyPGlite(dataDir: string, file: string) {
  const dir = `${dataDir}-rawcopy`;
  fs.rmSync(dir, { recursive: true, force: true });
  const db = new PGlite(dir);
  try {
    await db.exec(`CREATE TABLE bench_raw (line text)`);
    const tmp = "/tmp/bench-raw-copy";
    const t = performance.now();
    let copied = 0;
    for await (const piece of pieces(file)) {
      db.Module.FS.writeFile(tmp, piece);
      copied += (await db.query(COPY.replace("FROM STDIN", `FROM '${tmp}'`))).affectedRows ?? 0;
    }
    db.Module.FS.unlink(tmp);
    return { copySeconds: (performance.now() - t) / 1000, copied };
  } finally {
    await db.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** The file's rows as COPY rows of the upload (requests) or the ingest (results; its number in the `line` column), in 8 MB pieces. */
async function tablePieces(file: string, results: boolean): Promise<Buffer[]> {
  const out: Buffer[] = [];
  let parts: string[] = [];
  let chars = 0;
  let n = 0;
  for await (const { text } of readLines(file, { maxLineBytes: 1 << 30 })) {
    const raw = text?.toString("utf8").trim();
    if (!raw) continue;
    let row: string;
    if (results) {
      const r = parseResultLine(raw);
      if (!r) continue;
      row = resultCopyRow(++n, r, raw);
    } else {
      row = requestCopyRow("bench", rowOf("/v1/chat/completions", ++n, JSON.parse(raw), null));
    }
    parts.push(row);
    chars += row.length;
    if (chars >= PIECE) {
      out.push(Buffer.from(parts.join("")));
      parts = [];
      chars = 0;
    }
  }
  if (parts.length) out.push(Buffer.from(parts.join("")));
  return out;
}

const TABLE = "bench_table";
/** The scratch table: with the real table's indexes, or `bare`, its columns alone (no index, no key); both with its columns' compression and its storage parameters. */
const makeTable = (results: boolean, bare: boolean) => {
  const table = results ? "Result" : "Request";
  const like = `LIKE "${table}" ${bare ? "INCLUDING DEFAULTS INCLUDING COMPRESSION" : "INCLUDING ALL"}`;
  // LIKE copies no storage parameter: the table's (lib/db/compression.ts keepRowsWhole) are set by hand.
  const options = `DO $$ DECLARE o text[] := (SELECT reloptions FROM pg_class WHERE oid = '"${table}"'::regclass); BEGIN
    IF o IS NOT NULL THEN EXECUTE format('ALTER TABLE ${TABLE} SET (%s)', array_to_string(o, ', ')); END IF; END $$`;
  return `DROP TABLE IF EXISTS ${TABLE}; CREATE TABLE ${TABLE} (${like}); ${options}${results ? `; ALTER TABLE ${TABLE} ALTER "batchId" SET DEFAULT 'bench'` : ""}`;
};
const tableCopy = (results: boolean) => (results ? `COPY ${TABLE} ("line", ${RESULT_COPY_COLUMNS})` : REQUEST_COPY.replace('"Request"', TABLE));

async function tableCopyPostgres(url: string, pieces: Buffer[], results: boolean, bare: boolean) {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    await c.query(makeTable(results, bare));
    const t = performance.now();
    const stream = c.query(copyFrom(`${tableCopy(results)} FROM STDIN WITH (${COPY_CSV_OPTIONS})`));
    await pipeline(async function* () {
      yield* pieces;
    }, stream);
    return { seconds: (performance.now() - t) / 1000, copied: stream.rowCount };
  } finally {
    await c.query(`DROP TABLE IF EXISTS ${TABLE}`).catch(() => {});
    await c.end();
  }
}

async function tableCopyPGlite(dataDir: string, pieces: Buffer[], results: boolean, bare: boolean) {
  // The bench's own database (its schema), free while this step runs: each step is a process of its own.
  const db = new PGlite(dataDir);
  try {
    await db.exec(makeTable(results, bare));
    const tmp = "/tmp/bench-table-copy";
    const t = performance.now();
    let copied = 0;
    for (const piece of pieces) {
      db.Module.FS.writeFile(tmp, piece);
      copied += (await db.query(`${tableCopy(results)} FROM '${tmp}' WITH (${COPY_CSV_OPTIONS})`)).affectedRows ?? 0;
    }
    db.Module.FS.unlink(tmp);
    return { seconds: (performance.now() - t) / 1000, copied };
  } finally {
    await db.exec(`DROP TABLE IF EXISTS ${TABLE}`).catch(() => {});
    await db.close();
  }
}

export async function limitsStep(target: string, file: string, results: boolean) {
  const parse = await bareParse(file);
  const onPostgres = /^postgres(ql)?:/.test(target);
  const copy = onPostgres ? await rawCopyPostgres(target, file) : await rawCopyPGlite(path.resolve(target), file);
  if (copy.copied !== parse.lines) throw new Error(`raw COPY stored ${copy.copied} lines of ${parse.lines}`);
  const pieces = await tablePieces(file, results);
  const tableCopy = (bare: boolean) => (onPostgres ? tableCopyPostgres(target, pieces, results, bare) : tableCopyPGlite(path.resolve(target), pieces, results, bare));
  const table = await tableCopy(false);
  // The floor under any table of these columns: the same rows with no index to keep.
  const bare = await tableCopy(true);
  return { ...parse, ...copy, tableCopySeconds: table.seconds, tableCopied: table.copied, bareCopySeconds: bare.seconds, bytes: fs.statSync(file).size };
}
