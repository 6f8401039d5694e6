import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DbHandle } from "@/lib/db/client";
import { createTestDb } from "@/lib/test/db";
import { failInterruptedUploads, importJsonlFile, storeRequests } from "./store";
import { promptOf } from "./prompt";

let h: DbHandle;
let teamId: string;
let userId: string;
const dir = fs.mkdtempSync(path.join(os.tmpdir(), "bb-store-"));

beforeAll(async () => {
  h = await createTestDb();
  const user = await h.prisma.user.create({ data: { email: `store-${Date.now()}@example.com`, name: "Store", passwordHash: "x" } });
  const team = await h.prisma.team.create({ data: { name: "Store team" } });
  await h.prisma.membership.create({ data: { teamId: team.id, userId: user.id, role: "OWNER" } });
  teamId = team.id;
  userId = user.id;
});
afterAll(async () => {
  await h.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

let n = 0;
function write(lines: unknown[]) {
  const p = path.join(dir, `f${n++}.jsonl`);
  fs.writeFileSync(p, lines.map((l) => (typeof l === "string" ? l : JSON.stringify(l))).join("\n") + "\n");
  return p;
}

const chat = (id: string, model: string, messages: unknown[]) => ({ custom_id: id, method: "POST", url: "/v1/chat/completions", body: { model, messages } });

describe("importJsonlFile", () => {
  it("stores a valid file as requests with model and prompt", async () => {
    const p = write([
      chat("q1", "gpt-a", [
        { role: "system", content: "Be brief." },
        { role: "user", content: "First question" },
        { role: "assistant", content: "An answer" },
        { role: "user", content: "Follow-up" },
      ]),
      "",
      chat("q2", "gpt-b", [
        {
          role: "user",
          content: [
            { type: "text", text: "Describe" },
            { type: "image_url", image_url: { url: "https://x/y.png" } },
            { type: "text", text: "briefly" },
          ],
        },
      ]),
      chat("q3", "gpt-a", [{ role: "system", content: "Only a system prompt" }]),
    ]);
    const progress: string[] = [];
    const f = await importJsonlFile(h.prisma, {
      path: p,
      name: "questions.jsonl",
      teamId,
      userId,
      endpoint: "/v1/chat/completions",
      onProgress: (e) => progress.push(e.phase),
    });
    expect(f).toMatchObject({ status: "valid", requestCount: 3, lineCount: 4, models: ["gpt-a", "gpt-b"], problemCount: 0, problems: [] });
    expect(f.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(progress).toContain("checking");
    expect(progress.at(-1)).toBe("storing");

    const row = await h.prisma.inputFile.findUniqueOrThrow({ where: { id: f.id } });
    expect(row).toMatchObject({ teamId, name: "questions.jsonl", format: "jsonl", status: "valid", requestCount: 3, lineCount: 4, createdById: userId });
    expect(Number(row.bytes)).toBe(fs.statSync(p).size);
    expect(row.models).toEqual(["gpt-a", "gpt-b"]);
    expect(row.sha256).toBe(f.sha256);

    const reqs = await h.prisma.request.findMany({ where: { fileId: f.id }, orderBy: { line: "asc" } });
    expect(reqs.map((r) => [r.line, r.customId, r.model, r.prompt])).toEqual([
      [1, "q1", "gpt-a", "Follow-up"],
      [3, "q2", "gpt-b", "Describe\n[image]\nbriefly"],
      [4, "q3", "gpt-a", "Only a system prompt"],
    ]);
    expect((reqs[0].body as { messages: unknown[] }).messages).toHaveLength(4);
  });

  it("stores embeddings with the input as the prompt", async () => {
    const emb = (id: string, input: unknown) => ({ custom_id: id, method: "POST", url: "/v1/embeddings", body: { model: "emb-1", input } });
    const p = write([emb("e1", "a sentence"), emb("e2", ["one", "two"]), emb("e3", [1, 2, 3])]);
    const f = await importJsonlFile(h.prisma, { path: p, name: "emb.jsonl", teamId, userId, endpoint: "/v1/embeddings" });
    expect(f.status).toBe("valid");
    const reqs = await h.prisma.request.findMany({ where: { fileId: f.id }, orderBy: { line: "asc" } });
    expect(reqs.map((r) => r.prompt)).toEqual(["a sentence", "one\ntwo", "[3 token inputs]"]);
  });

  it("keeps an invalid file with its problems and stores no request", async () => {
    const p = write([chat("a", "m", [{ role: "user", content: "x" }]), chat("a", "m", [{ role: "user", content: "y" }]), "{nope"]);
    const f = await importJsonlFile(h.prisma, { path: p, name: "bad.jsonl", teamId, userId, endpoint: "/v1/chat/completions" });
    expect(f.status).toBe("invalid");
    expect(f.problemCount).toBe(2);
    const row = await h.prisma.inputFile.findUniqueOrThrow({ where: { id: f.id } });
    expect(row.status).toBe("invalid");
    expect(row.problemCount).toBe(2);
    expect(row.problems).toEqual([
      { line: 2, field: "custom_id", message: 'custom_id "a" is used twice: first on line 1, again on line 2' },
      { line: 3, message: expect.stringMatching(/^This line is not valid JSON/) },
    ]);
    expect(await h.prisma.request.count({ where: { fileId: f.id } })).toBe(0);
  });

  it("stores texts holding the COPY's delimiter, quote, line breaks and quotes as they are", async () => {
    const odd = ["a\x01b", "c\x02d", "line\nbreak\r\n", '"quoted", with, commas', "tab\there", "back\\slash \\N", "", "\\.", "批处理 ✓"];
    const p = write(odd.map((text, i) => chat(`id\x01${i}"\x02,`, `model\n${i}`, [{ role: "user", content: text }])));
    const f = await importJsonlFile(h.prisma, { path: p, name: "odd.jsonl", teamId, userId, endpoint: "/v1/chat/completions" });
    expect(f.status).toBe("valid");
    const reqs = await h.prisma.request.findMany({ where: { fileId: f.id }, orderBy: { line: "asc" } });
    expect(reqs.map((r) => [r.customId, r.model, r.prompt])).toEqual(odd.map((text, i) => [`id\x01${i}"\x02,`, `model\n${i}`, text]));
    expect(reqs.map((r) => (r.body as { messages: { content: string }[] }).messages[0].content)).toEqual(odd);
  });

  it("stores nothing of a file whose problem comes after a piece of it was stored", async () => {
    const big = "x".repeat(4000);
    const lines: unknown[] = Array.from({ length: 1200 }, (_, i) => chat(`b${i}`, "m", [{ role: "user", content: `${i} ${big}` }]));
    lines.push(chat("b0", "m", [{ role: "user", content: "again" }]));
    const f = await importJsonlFile(h.prisma, { path: write(lines), name: "late-problem.jsonl", teamId, userId, endpoint: "/v1/chat/completions" });
    expect(f).toMatchObject({ status: "invalid", problemCount: 1 });
    expect(await h.prisma.request.count({ where: { fileId: f.id } })).toBe(0);
  });

  it("stores many requests in chunks", async () => {
    const lines = Array.from({ length: 6000 }, (_, i) => chat(`r${i}`, i % 2 ? "odd" : "even", [{ role: "user", content: `question ${i}` }]));
    const p = write(lines);
    const stored: number[] = [];
    const f = await importJsonlFile(h.prisma, {
      path: p,
      name: "many.jsonl",
      teamId,
      userId,
      endpoint: "/v1/chat/completions",
      onProgress: (e) => e.phase === "storing" && stored.push(e.stored),
    });
    expect(f.status).toBe("valid");
    // Stored in the pass that checks the file: one report once the COPY has ended.
    expect(stored).toEqual([6000]);
    expect(await h.prisma.request.count({ where: { fileId: f.id } })).toBe(6000);
    const last = await h.prisma.request.findFirstOrThrow({ where: { fileId: f.id, customId: "r5999" } });
    expect(last).toMatchObject({ line: 6000, model: "odd", prompt: "question 5999" });
  });

  it("leaves nothing when aborted while storing", async () => {
    const lines = Array.from({ length: 6000 }, (_, i) => chat(`r${i}`, "m", [{ role: "user", content: `q${i}` }]));
    const p = write(lines);
    const ac = new AbortController();
    let fileId: string | undefined;
    await expect(
      importJsonlFile(h.prisma, {
        path: p,
        name: "aborted.jsonl",
        teamId,
        userId,
        endpoint: "/v1/chat/completions",
        signal: ac.signal,
        onProgress: (e) => {
          if (e.phase === "storing") ac.abort();
        },
      }).catch(async (err) => {
        const left = await h.prisma.inputFile.findMany({ where: { name: "aborted.jsonl" } });
        fileId = left[0]?.id;
        throw err;
      }),
    ).rejects.toThrow();
    expect(fileId).toBeUndefined();
    expect(await h.prisma.inputFile.count({ where: { name: "aborted.jsonl" } })).toBe(0);
    expect(await h.prisma.request.count({ where: { file: { name: "aborted.jsonl" } } })).toBe(0);
  });

  it("marks uploads left 'uploading' by a stopped server as failed", async () => {
    const f = await h.prisma.inputFile.create({
      data: { teamId, name: "stale.jsonl", format: "jsonl", bytes: 0, endpoint: "/v1/chat/completions", status: "uploading", createdAt: new Date(Date.now() - 2 * 3600_000) },
    });
    await h.prisma.request.create({ data: { fileId: f.id, line: 1, customId: "x", body: {} } });
    expect(await failInterruptedUploads(h.prisma)).toBe(1);
    expect((await h.prisma.inputFile.findUniqueOrThrow({ where: { id: f.id } })).status).toBe("failed");
    expect(await h.prisma.request.count({ where: { fileId: f.id } })).toBe(0);
  });
});

describe("storeRequests", () => {
  it("refuses a line over the limit (the file was not validated)", async () => {
    const f = await h.prisma.inputFile.create({ data: { teamId, name: "raw.jsonl", format: "jsonl", bytes: 0, endpoint: "/v1/chat/completions", status: "uploading" } });
    const p = write([chat("a", "m", [{ role: "user", content: "x".repeat(100) }])]);
    await expect(storeRequests(h.prisma, { fileId: f.id, path: p, endpoint: "/v1/chat/completions", maxLineBytes: 50 })).rejects.toThrow(/validate/);
  });
});

describe("promptOf", () => {
  it("finds the text of each endpoint's request", () => {
    expect(promptOf("/v1/responses", { model: "m", input: "plain" })).toBe("plain");
    expect(
      promptOf("/v1/responses", {
        model: "m",
        input: [
          { role: "user", content: [{ type: "input_text", text: "first" }] },
          { role: "assistant", content: "ok" },
          { role: "user", content: [{ type: "input_text", text: "second" }, { type: "input_image", image_url: "u" }] },
        ],
      }),
    ).toBe("second\n[image]");
    expect(promptOf("/v1/completions", { model: "m", prompt: "Once upon" })).toBe("Once upon");
    expect(promptOf("/v1/moderations", { model: "m", input: "is this ok" })).toBe("is this ok");
    expect(promptOf("/v1/chat/completions", { model: "m", messages: [] })).toBeNull();
    expect(promptOf("/v1/chat/completions", "nope")).toBeNull();
  });
});
