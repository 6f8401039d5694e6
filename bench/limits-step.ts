// The limits the upload and the ingest are measured against (issue 18), on the same file in the
// same run: what Node takes to split it into lines and JSON.parse each (bare parse), and what the
// database takes to COPY the same raw lines into a table of one text column (raw COPY): PostgreSQL
// fed over the wire (COPY FROM STDIN, pg-copy-streams), PGlite a fresh database of its own fed
// 8 MB pieces through a file of its in-memory file system (it has no STDIN to feed).
// In bench/step.ts: `step.ts limits <dataDir | postgresql://...> <file>`.
import fs from "node:fs";
import path from "node:path";
import { pipeline } from "node:stream/promises";
import { PGlite } from "@electric-sql/pglite";
import pg from "pg";
import { from as copyFrom } from "pg-copy-streams";
import { readLines } from "@/lib/files/read-lines";

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

export async function limitsStep(target: string, file: string) {
  const parse = await bareParse(file);
  const copy = /^postgres(ql)?:/.test(target) ? await rawCopyPostgres(target, file) : await rawCopyPGlite(path.resolve(target), file);
  if (copy.copied !== parse.lines) throw new Error(`raw COPY stored ${copy.copied} lines of ${parse.lines}`);
  return { ...parse, ...copy, bytes: fs.statSync(file).size };
}
