import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DbHandle } from "@/lib/db/client";
import { createTestDb } from "@/lib/test/db";
import { cleanUpInterruptedLaunches, cleanUpInterruptedUploads } from "./start";

let h: DbHandle;
let dir: string;
beforeAll(async () => {
  h = await createTestDb();
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "bb-start-"));
});
afterAll(async () => {
  await h.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe("cleanUpInterruptedUploads", () => {
  it("fails uploads a crash left behind and removes their temp files", async () => {
    const team = await h.prisma.team.create({ data: { name: "crash" } });
    const old = new Date(Date.now() - 2 * 3600_000);
    const stale = await h.prisma.inputFile.create({
      data: { teamId: team.id, name: "a.jsonl", format: "jsonl", bytes: 0, endpoint: "/v1/chat/completions", status: "uploading", createdAt: old },
    });
    await h.prisma.request.create({ data: { fileId: stale.id, line: 1, customId: "x", body: {} } });
    fs.mkdirSync(path.join(dir, "uploads"), { recursive: true });
    const part = path.join(dir, "uploads", "x.part");
    fs.writeFileSync(part, "partial");
    fs.utimesSync(part, old, old);
    fs.writeFileSync(path.join(dir, "uploads", "keep.txt"), "not a temp file");

    await cleanUpInterruptedUploads(h, dir);
    expect((await h.prisma.inputFile.findUniqueOrThrow({ where: { id: stale.id } })).status).toBe("failed");
    expect(await h.prisma.request.count({ where: { fileId: stale.id } })).toBe(0);
    expect(fs.readdirSync(path.join(dir, "uploads"))).toEqual(["keep.txt"]);
  });

  it("copes with no uploads folder", async () => {
    await expect(cleanUpInterruptedUploads(h, path.join(dir, "missing"))).resolves.toBeUndefined();
  });
});

describe("cleanUpInterruptedLaunches", () => {
  function leftovers(sub: string) {
    const tmp = path.join(dir, sub, "tmp");
    fs.mkdirSync(tmp, { recursive: true });
    const old = new Date(Date.now() - 2 * 3600_000);
    const files = {
      oldJsonl: "batchboard-old.jsonl",
      newJsonl: "batchboard-new.jsonl",
      oldAnthropic: "batchboard-old.anthropic.json",
      other: "notes.txt",
    };
    for (const name of Object.values(files)) fs.writeFileSync(path.join(tmp, name), "x".repeat(100));
    for (const name of [files.oldJsonl, files.oldAnthropic, files.other]) fs.utimesSync(path.join(tmp, name), old, old);
    return tmp;
  }

  it("embedded database: removes every launch temp file a killed process left, and nothing else", async () => {
    const tmp = leftovers("embedded");
    await cleanUpInterruptedLaunches({ kind: "pglite" }, path.join(dir, "embedded"));
    expect(fs.readdirSync(tmp)).toEqual(["notes.txt"]);
  });

  it("PostgreSQL: removes only those over an hour old (another instance may be launching now)", async () => {
    const tmp = leftovers("shared");
    await cleanUpInterruptedLaunches({ kind: "postgres" }, path.join(dir, "shared"));
    expect(fs.readdirSync(tmp).sort()).toEqual(["batchboard-new.jsonl", "notes.txt"]);
  });

  it("copes with no tmp folder", async () => {
    await expect(cleanUpInterruptedLaunches({ kind: "pglite" }, path.join(dir, "missing"))).resolves.toBeUndefined();
  });
});
