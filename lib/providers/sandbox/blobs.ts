// The sandbox's file contents, kept in the database (SandboxChunk rows of CHUNK_BYTES each) rather
// than under one instance's DATA_DIR: with several instances on one PostgreSQL, a batch launched
// through one is served to completion by any other. Written and read one chunk at a time through
// the raw driver (lib/db/sql.ts), so a 200 MB file never sits in memory. The bytes travel as base64
// (encode/decode in SQL): both drivers pass bytea as hex text, which PGlite turns into bytes in a
// JavaScript loop; 33 MB in 1 MB chunks took 10 s to write and 5 s to read that way on PGlite, 2 s
// and 0.7 s as base64. The column is stored uncompressed (STORAGE EXTERNAL, in the migration): a
// PostgreSQL write took half the time, and the files take what they took on disk before.
// A blob is immutable once its owner row exists: an upload writes its chunks before its SandboxFile
// row, a result file is written under a temporary id and renamed into place in the statement that
// inserts its row (commitResultFile). Chunks no row refers to are leftovers of a crash, swept at
// start (sweepOrphanChunks).
import "server-only";
import readline from "node:readline";
import { Readable, Writable } from "node:stream";
import { StringDecoder } from "node:string_decoder";
import type { Db } from "@/lib/db/client";
import { sql } from "@/lib/db/sql";

export const CHUNK_BYTES = 1024 * 1024;

/** A Writable that stores what it is given as the blob's chunks; its callbacks wait for the database (backpressure). */
export function blobWriter(prisma: Db, blobId: string): Writable {
  const db = sql(prisma);
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  let seq = 0;
  // The time in UTC, as Prisma writes the other timestamp columns (a DEFAULT would follow the session's time zone).
  const insert = (data: Buffer) =>
    db.exec(`INSERT INTO "SandboxChunk" ("blobId", "seq", "data", "createdAt") VALUES ($1, $2, decode($3, 'base64'), $4::timestamp)`, [
      blobId,
      seq++,
      data.toString("base64"),
      new Date().toISOString(),
    ]);
  async function flush(all: boolean) {
    if (pendingBytes < CHUNK_BYTES && !(all && pendingBytes > 0)) return;
    let buf = Buffer.concat(pending, pendingBytes);
    while (buf.length >= CHUNK_BYTES) {
      await insert(buf.subarray(0, CHUNK_BYTES));
      buf = buf.subarray(CHUNK_BYTES);
    }
    if (all && buf.length) {
      await insert(buf);
      buf = Buffer.alloc(0);
    }
    pending = buf.length ? [buf] : [];
    pendingBytes = buf.length;
  }
  return new Writable({
    write(chunk: Buffer | string, _enc, done) {
      const b = typeof chunk === "string" ? Buffer.from(chunk) : chunk;
      pending.push(b);
      pendingBytes += b.length;
      flush(false).then(() => done(), done);
    },
    final(done) {
      flush(true).then(() => done(), done);
    },
  });
}

/** The blob's content, read one chunk at a time as the reader asks. */
export function blobStream(prisma: Db, blobId: string): Readable {
  const db = sql(prisma);
  async function* chunks() {
    for (let seq = 0; ; seq++) {
      const rows = await db.query<{ data: string }>(`SELECT encode("data", 'base64') AS "data" FROM "SandboxChunk" WHERE "blobId" = $1 AND "seq" = $2`, [blobId, seq]);
      if (!rows.length) return;
      yield Buffer.from(rows[0].data, "base64");
    }
  }
  return Readable.from(chunks(), { objectMode: false });
}

/** The blob's lines (without their line breaks), streamed. */
export function blobLines(prisma: Db, blobId: string): AsyncIterable<string> {
  return readline.createInterface({ input: blobStream(prisma, blobId), crlfDelay: Infinity });
}

/** The blob's non-empty "\n"-separated records (a result file's lines, as its readers count them), streamed. */
export async function* blobRecords(prisma: Db, blobId: string): AsyncGenerator<string> {
  // A chunk may end inside a character: the decoder keeps its first bytes for the next chunk.
  const decoder = new StringDecoder("utf8");
  let rest = "";
  for await (const chunk of blobStream(prisma, blobId)) {
    const parts = (rest + decoder.write(chunk as Buffer)).split("\n");
    rest = parts.pop()!;
    for (const l of parts) if (l) yield l;
  }
  rest += decoder.end();
  if (rest) yield rest;
}

/** A whole blob as text: small ones only (the errors of a batch, tests). */
export async function blobText(prisma: Db, blobId: string): Promise<string> {
  const parts: Buffer[] = [];
  for await (const c of blobStream(prisma, blobId)) parts.push(c as Buffer);
  return Buffer.concat(parts).toString("utf8");
}

export async function deleteBlob(prisma: Db, blobId: string) {
  await sql(prisma).exec(`DELETE FROM "SandboxChunk" WHERE "blobId" = $1`, [blobId]);
}

/** A deleted file's content, unless a batch still reads it as its input (as a provider keeps it). */
export async function deleteFileContent(prisma: Db, fileId: string) {
  await sql(prisma).exec(
    `DELETE FROM "SandboxChunk" WHERE "blobId" = $1
       AND NOT EXISTS (SELECT 1 FROM "SandboxBatch" b WHERE b."inputFileId" = $1 AND b."total" > 0)`,
    [fileId],
  );
}

export interface FileRow {
  id: string;
  teamId: string;
  filename: string;
  purpose: string;
  bytes: number;
  lines: number;
}

/**
 * Puts a result file written under `tmpId` into place: its SandboxFile row is inserted and its
 * chunks renamed in one statement. Two writers of the same file (two instances ending one batch at
 * once) write the same content: the first to commit wins, the other's chunks are dropped.
 */
export async function commitResultFile(prisma: Db, tmpId: string, f: FileRow) {
  const db = sql(prisma);
  await db.exec(
    `WITH ins AS (
       INSERT INTO "SandboxFile" ("id", "teamId", "filename", "purpose", "bytes", "lines", "createdAt")
       VALUES ($1, $2, $3, $4, $5, $6, $7::timestamp)
       ON CONFLICT ("id") DO NOTHING
       RETURNING "id")
     UPDATE "SandboxChunk" SET "blobId" = $1 WHERE "blobId" = $8 AND EXISTS (SELECT 1 FROM ins)`,
    [f.id, f.teamId, f.filename, f.purpose, f.bytes, f.lines, new Date().toISOString(), tmpId],
  );
  await deleteBlob(prisma, tmpId);
}

/**
 * Chunks that no file, and no batch, refers to: an upload or a result file cut short by a crash.
 * On PostgreSQL other instances may be writing one right now: only those over `olderThanMs` go.
 */
export async function sweepOrphanChunks(prisma: Db, olderThanMs: number): Promise<number> {
  return sql(prisma).exec(
    `DELETE FROM "SandboxChunk" c
     WHERE c."createdAt" < $1::timestamp
       AND NOT EXISTS (SELECT 1 FROM "SandboxFile" f WHERE f."id" = c."blobId")
       AND NOT EXISTS (SELECT 1 FROM "SandboxBatch" b WHERE b."id" = c."blobId")
       AND NOT EXISTS (SELECT 1 FROM "SandboxBatch" b WHERE b."inputFileId" = c."blobId")`,
    [new Date(Date.now() - olderThanMs).toISOString()],
  );
}
