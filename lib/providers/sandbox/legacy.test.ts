// At start: an older version's sandbox folder is moved into the database (once, whoever runs it
// twice), and chunks a crash left without their file or batch are swept.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { pipeline } from "node:stream/promises";
import { Readable } from "node:stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DbHandle } from "@/lib/db/client";
import { cleanUpSandbox } from "@/lib/server/start";
import { createTestDb } from "@/lib/test/db";
import { blobText, blobWriter } from "./blobs";

let h: DbHandle;
let dir: string;
beforeAll(async () => {
  h = await createTestDb();
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "bb-legacy-"));
});
afterAll(async () => {
  await h.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

const batch = (id: string, inputFileId: string, mode = "openai") => ({
  id, teamId: "t1", mode, inputFileId, endpoint: "/v1/chat/completions", completionWindow: "24h", total: 2, msPerRequest: 0, expiresAfterMs: 1000,
});
const write = (rel: string, text: string) => {
  fs.mkdirSync(path.dirname(path.join(dir, "sandbox", rel)), { recursive: true });
  fs.writeFileSync(path.join(dir, "sandbox", rel), text);
};

describe("cleanUpSandbox", () => {
  it("moves an older version's sandbox folder into the database, then removes it; a second run stores nothing twice", async () => {
    const big = Array.from({ length: 40_000 }, (_, i) => `{"custom_id":"r${i}","line":"${"x".repeat(40)}"}`).join("\n") + "\n"; // > 2 chunks
    await h.prisma.sandboxFile.create({ data: { id: "file-kept", teamId: "t1", filename: "a.jsonl", purpose: "batch", bytes: big.length, lines: 40_000 } });
    await h.prisma.sandboxBatch.createMany({
      data: [batch("batch_1", "file-deleted"), { ...batch("batch_2", "file-kept"), total: 0 }, batch("msgbatch_1", "inline", "anthropic")],
    });
    write("files/file-kept", big);
    write("files/file-kept.part", "an upload cut short");
    write("files/file-nobody", "a file whose row is gone");
    write("batches/batch_1.input.jsonl", '{"custom_id":"a"}\n{"custom_id":"b"}\n');
    write("batches/batch_2.errors.json", JSON.stringify([{ code: "empty_file", message: "The input file has no requests.", line: null }]));
    write("batches/msgbatch_1.requests.jsonl", '{"custom_id":"m1","params":{}}\n');

    await cleanUpSandbox(h, dir);
    expect(fs.existsSync(path.join(dir, "sandbox"))).toBe(false);
    expect(await blobText(h.prisma, "file-kept")).toBe(big);
    expect(await blobText(h.prisma, "file-deleted")).toBe('{"custom_id":"a"}\n{"custom_id":"b"}\n');
    expect(await blobText(h.prisma, "msgbatch_1")).toBe('{"custom_id":"m1","params":{}}\n');
    expect((await h.prisma.sandboxBatch.findUniqueOrThrow({ where: { id: "batch_2" } })).errors).toEqual([
      { code: "empty_file", message: "The input file has no requests.", line: null },
    ]);
    expect(await h.prisma.sandboxChunk.count({ where: { blobId: { in: ["file-nobody", "file-kept.part"] } } })).toBe(0);
    const chunks = await h.prisma.sandboxChunk.count();

    // The folder again (a second instance that shares it, a restore from a backup): nothing new.
    write("files/file-kept", big);
    await cleanUpSandbox(h, dir);
    expect(await h.prisma.sandboxChunk.count()).toBe(chunks);
    expect(await blobText(h.prisma, "file-kept")).toBe(big);
  });

  it("sweeps chunks no file or batch refers to: all on the embedded database, those over an hour old on PostgreSQL", async () => {
    const store = (id: string) => pipeline(Readable.from([Buffer.from(`content of ${id}`)]), blobWriter(h.prisma, id));
    await store("orphan-new");
    await store("orphan-old");
    await h.prisma.sandboxChunk.updateMany({ where: { blobId: "orphan-old" }, data: { createdAt: new Date(Date.now() - 2 * 3600_000) } });
    await new Promise((r) => setTimeout(r, 5));

    await cleanUpSandbox({ prisma: h.prisma, kind: "postgres" }, dir);
    expect(await h.prisma.sandboxChunk.count({ where: { blobId: "orphan-old" } })).toBe(0);
    expect(await h.prisma.sandboxChunk.count({ where: { blobId: "orphan-new" } })).toBe(1);
    await cleanUpSandbox({ prisma: h.prisma, kind: "pglite" }, dir);
    expect(await h.prisma.sandboxChunk.count({ where: { blobId: "orphan-new" } })).toBe(0);
    // What rows refer to stays: a file's content, a deleted file's content its batch reads, a batch's requests.
    for (const id of ["file-kept", "file-deleted", "msgbatch_1"]) expect(await h.prisma.sandboxChunk.count({ where: { blobId: id } })).toBeGreaterThan(0);
  });
});
