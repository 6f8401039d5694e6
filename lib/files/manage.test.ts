// File management through the upload: one entry per content hash per team ("already uploaded as"),
// an earlier upload that stored nothing replaced by the new one and cleaned up after a week, a JSON
// array named and converted, a PNG named, whose limits a file was checked against, the loosest
// limits really the loosest, and every problem of a file kept for the CSV of the full list.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DbHandle } from "@/lib/db/client";
import { createTestDb } from "@/lib/test/db";
import { handleUpload } from "./upload";
import { doneFile, uploadRequest } from "./upload.fixtures";
import { problemsCsv } from "./problems";
import { getFile, listFiles } from "./queries";
import { UNSTORED_KEEP_MS } from "./delete";

let h: DbHandle;
let teamId: string;
let userId: string;
let connectionId: string;
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "bb-files-manage-"));
const CHAT = "/v1/chat/completions";

beforeAll(async () => {
  h = await createTestDb();
  const user = await h.prisma.user.create({ data: { email: `manage-${Date.now()}@example.com`, name: "Manage", passwordHash: "x" } });
  const team = await h.prisma.team.create({ data: { name: "Manage team" } });
  teamId = team.id;
  userId = user.id;
  const c = await h.prisma.providerConnection.create({
    data: { teamId, kind: "openai", name: "Prod", baseUrl: "https://api.openai.com/v1", encryptedKey: "v1:x:y:z", keyLast4: "abcd" },
  });
  connectionId = c.id;
});
afterAll(async () => {
  await h.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

const line = (id: string, content = "hi") => JSON.stringify({ custom_id: id, method: "POST", url: CHAT, body: { model: "m", messages: [{ role: "user", content }] } });

function upload(content: string | Buffer, o: { name?: string; convert?: string; target?: string } = {}) {
  const req = uploadRequest(content, { endpoint: CHAT, name: o.name, fields: o.convert ? { convert: o.convert } : {}, query: o.target ? `?connection=${o.target}` : "" });
  return handleUpload(req, { teamId, userId }, { dataDir, countTokens: false });
}

const done = doneFile;

const rowsNamed = (name: string) => h.prisma.inputFile.count({ where: { teamId, name } });

describe("one entry per content hash", () => {
  it("answers the same bytes uploaded again with the file already stored, keeping one entry", async () => {
    const text = [line("a"), line("b")].join("\n") + "\n";
    const first = await done(await upload(text, { name: "same.jsonl" }));
    expect(first).toMatchObject({ status: "valid", requestCount: 2, checkedFor: null });
    expect(first.duplicate).toBeUndefined();
    const again = await done(await upload(text, { name: "same-again.jsonl" }));
    expect(again).toMatchObject({ id: first.id, name: "same.jsonl", duplicate: true, status: "valid", requestCount: 2 });
    expect(await rowsNamed("same-again.jsonl")).toBe(0);
    expect(await h.prisma.inputFile.count({ where: { teamId, sha256: first.sha256 } })).toBe(1);
  });

  it("replaces an earlier upload of the same bytes that stored nothing", async () => {
    const bad = [line("x"), line("x")].join("\n") + "\n";
    const one = await done(await upload(bad, { name: "bad.jsonl" }));
    expect(one.status).toBe("invalid");
    const two = await done(await upload(bad, { name: "bad.jsonl" }));
    expect(two.status).toBe("invalid");
    expect(two.id).not.toBe(one.id);
    expect(await rowsNamed("bad.jsonl")).toBe(1);
  });

  it("removes uploads that stored nothing once they are a week old", async () => {
    const old = await h.prisma.inputFile.create({
      data: { teamId, name: "old-bad.jsonl", format: "jsonl", bytes: 10n, endpoint: CHAT, status: "invalid", createdAt: new Date(Date.now() - UNSTORED_KEEP_MS - 60_000) },
    });
    await done(await upload(line("fresh") + "\n", { name: "fresh.jsonl" }));
    expect(await h.prisma.inputFile.count({ where: { id: old.id } })).toBe(0);
  });
});

describe("what a file is", () => {
  const array = JSON.stringify([JSON.parse(line("j1")), JSON.parse(line("j2"))], null, 2);

  it("names a pretty-printed JSON array in one problem, and converts it to JSONL on request", async () => {
    const f = await done(await upload(array, { name: "requests.json" }));
    expect(f.status).toBe("invalid");
    expect(f.problems).toEqual([{ line: 1, code: "json-array", message: expect.stringContaining("This is a JSON array, not JSON Lines") }]);
    // The stored problem keeps its code, for the page's Convert button.
    expect((await getFile(h.prisma, teamId, f.id))?.problems[0].code).toBe("json-array");
    const c = await done(await upload(array, { name: "requests.json", convert: "json-array" }));
    expect(c).toMatchObject({ status: "valid", name: "requests.jsonl", requestCount: 2 });
    // The unconverted entry of the same bytes is gone.
    expect(await h.prisma.inputFile.count({ where: { id: f.id } })).toBe(0);
    const cut = await upload(array.slice(0, -3), { name: "cut.json", convert: "json-array" });
    expect(cut.status).toBe(400);
    expect(((await cut.json()) as { error: string }).error).toMatch(/^The JSON array is cut short/);
  });

  it("names a PNG instead of reading it line by line", async () => {
    const png = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(2000, 7)]);
    const f = await done(await upload(png, { name: "cat.png" }));
    expect(f.problems).toEqual([{ line: 1, code: "not-text", message: "This is a PNG image, not a JSONL file." }]);
  });
});

describe("limits", () => {
  it("says whose limits a file was checked against", async () => {
    const f = await done(await upload(line("t1") + "\n", { name: "for-openai.jsonl", target: connectionId }));
    expect(f).toMatchObject({ status: "valid", checkedFor: "Prod (OpenAI)" });
    expect((await listFiles(h.prisma, teamId, 1, 20, { q: "FOR-OPENAI" })).files.map((x) => x.checkedFor)).toEqual(["Prod (OpenAI)"]);
  });

  it("takes a 7 MB line for any provider, since OpenAI does: the loosest limits are the loosest", async () => {
    const f = await done(await upload(line("big", "x".repeat(7 * 1024 * 1024)) + "\n", { name: "seven.jsonl" }));
    expect(f.status).toBe("valid");
  });
});

describe("the full problem list", () => {
  it("keeps every problem of a file with more than 100, and writes them all as CSV", async () => {
    const text = Array.from({ length: 250 }, (_, i) => line(`dup`, `q${i}`)).join("\n") + "\n";
    const f = await done(await upload(text, { name: "many.jsonl" }));
    expect(f).toMatchObject({ status: "invalid", problemCount: 249 });
    expect(f.problems).toHaveLength(100);
    expect(await h.prisma.fileProblem.count({ where: { fileId: f.id } })).toBe(249);
    let csv = "";
    for await (const part of problemsCsv(h.prisma, { id: f.id, problems: f.problems, problemCount: f.problemCount, csv: false })) csv += part;
    const rows = csv.trimEnd().split("\r\n");
    expect(rows[0]).toBe("line,field,message");
    expect(rows).toHaveLength(250);
    expect(rows[249]).toBe('250,custom_id,"custom_id ""dup"" is used twice: first on line 1, again on line 250"');
  });
});

describe("the Files list", () => {
  it("searches by name and filters by status and type", async () => {
    const all = await listFiles(h.prisma, teamId, 1, 100);
    const invalid = await listFiles(h.prisma, teamId, 1, 100, { status: "invalid" });
    expect(invalid.files.length).toBeGreaterThan(0);
    expect(invalid.files.every((f) => f.status === "invalid")).toBe(true);
    expect((await listFiles(h.prisma, teamId, 1, 100, { type: "csv" })).total).toBe(0);
    expect((await listFiles(h.prisma, teamId, 1, 100, { q: "same" })).files.map((f) => f.name)).toEqual(["same.jsonl"]);
    expect(all.total).toBeGreaterThan(invalid.total);
  });
});
