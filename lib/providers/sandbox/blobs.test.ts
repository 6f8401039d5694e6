// The sandbox's contents in the database: what goes in comes out byte for byte, in chunks of 1 MB,
// whatever character a chunk ends inside of; a result file is put in place once; a deleted file's
// content stays while a batch reads it.
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DbHandle } from "@/lib/db/client";
import { createTestDb } from "@/lib/test/db";
import { blobLines, blobRecords, blobStream, blobText, blobWriter, CHUNK_BYTES, commitResultFile, deleteFileContent } from "./blobs";

let h: DbHandle;
beforeAll(async () => {
  h = await createTestDb();
});
afterAll(() => h.close());

const store = (id: string, parts: (string | Buffer)[]) => pipeline(Readable.from(parts), blobWriter(h.prisma, id));
async function collect<T>(it: AsyncIterable<T>) {
  const out: T[] = [];
  for await (const x of it) out.push(x);
  return out;
}

describe("blobs", () => {
  it("keeps every byte across chunk boundaries, written in pieces of any size", async () => {
    // Lines of 2- and 3-byte characters written in odd pieces.
    const lines = Array.from({ length: 30_000 }, (_, i) => `{"n":${i},"text":"批处理结果 ${"é".repeat(i % 7)}"}`);
    const text = lines.join("\n") + "\n";
    const bytes = Buffer.from(text);
    const pieces: Buffer[] = [];
    for (let i = 0; i < bytes.length; i += 7777) pieces.push(bytes.subarray(i, i + 7777));
    await store("big", pieces);

    const chunks = await h.prisma.sandboxChunk.findMany({ where: { blobId: "big" }, orderBy: { seq: "asc" }, select: { seq: true, data: true } });
    expect(chunks.length).toBe(Math.ceil(bytes.length / CHUNK_BYTES));
    expect(chunks.slice(0, -1).every((c) => c.data.length === CHUNK_BYTES)).toBe(true);
    expect(Buffer.concat((await collect(blobStream(h.prisma, "big"))) as Buffer[]).equals(bytes)).toBe(true);
    expect(await blobText(h.prisma, "big")).toBe(text);
    expect(await collect(blobLines(h.prisma, "big"))).toEqual(lines);
    expect(await collect(blobRecords(h.prisma, "big"))).toEqual(lines);
  });

  it("reads a character whose bytes the first chunk boundary cuts in two", async () => {
    const first = "a".repeat(CHUNK_BYTES - 2); // with its line break, the first chunk's last byte is the next character's first
    const text = `${first}\n批处理\n`;
    expect(Buffer.byteLength(`${first}\n`)).toBe(CHUNK_BYTES - 1);
    await store("cut", [text]);
    expect(await collect(blobRecords(h.prisma, "cut"))).toEqual([first, "批处理"]);
    expect(await collect(blobLines(h.prisma, "cut"))).toEqual([first, "批处理"]);
  });

  it("an empty blob has no chunks and reads as nothing", async () => {
    await store("empty", []);
    expect(await h.prisma.sandboxChunk.count({ where: { blobId: "empty" } })).toBe(0);
    expect(await blobText(h.prisma, "empty")).toBe("");
  });

  it("puts a result file in place once: a second writer of the same file leaves the first one's content", async () => {
    const file = { id: "file-result", teamId: "t", filename: "b_output.jsonl", purpose: "batch_output", bytes: 6, lines: 2 };
    await store("file-result.a.tmp", ["a\nb\n"]);
    await store("file-result.b.tmp", ["x\ny\n"]);
    await commitResultFile(h.prisma, "file-result.a.tmp", file);
    await commitResultFile(h.prisma, "file-result.b.tmp", file);
    expect(await blobText(h.prisma, "file-result")).toBe("a\nb\n");
    expect(await h.prisma.sandboxFile.count({ where: { id: "file-result" } })).toBe(1);
    expect(await h.prisma.sandboxChunk.count({ where: { blobId: { endsWith: ".tmp" } } })).toBe(0);
  });

  it("a deleted file's content stays while a batch reads it as its input", async () => {
    await store("file-in", ['{"custom_id":"a"}\n']);
    await store("file-alone", ["x\n"]);
    await h.prisma.sandboxBatch.create({
      data: { id: "batch_in", teamId: "t", inputFileId: "file-in", endpoint: "/v1/chat/completions", completionWindow: "24h", total: 1, msPerRequest: 0, expiresAfterMs: 1000 },
    });
    await deleteFileContent(h.prisma, "file-in");
    await deleteFileContent(h.prisma, "file-alone");
    expect(await blobText(h.prisma, "file-in")).toBe('{"custom_id":"a"}\n');
    expect(await blobText(h.prisma, "file-alone")).toBe("");
  });
});
