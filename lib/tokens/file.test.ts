// A stored file's tokens, counted from its Request rows on a real database: per model, with the
// model's own tokenizer where there is one, page by page (more rows than a page), and cached in the
// data folder once the file is valid.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DbHandle } from "@/lib/db/client";
import { createTestDb } from "@/lib/test/db";
import { makeUser, useTempDataDir } from "@/lib/teams/fixtures";
import { COUNT_VERSION, fileTokens } from "./file";
import { tokenCounter } from "./tokenizer";

let h: DbHandle;
let teamId: string;
let otherTeamId: string;
let cacheDir: string;

async function makeFile(n: number, body: (i: number) => Record<string, unknown>, status = "valid") {
  const file = await h.prisma.inputFile.create({
    data: { teamId, name: `f-${n}.jsonl`, format: "jsonl", bytes: BigInt(n * 100), lineCount: n, requestCount: n, endpoint: "/v1/chat/completions", models: [], status },
  });
  // Inserted in reverse line order: the count must not depend on insertion order.
  const rows = Array.from({ length: n }, (_, i) => ({ fileId: file.id, line: i + 1, customId: `c-${i + 1}`, model: String(body(i).model ?? "") || null, body: body(i) as object })).reverse();
  for (let i = 0; i < rows.length; i += 1000) await h.prisma.request.createMany({ data: rows.slice(i, i + 1000) });
  return file;
}

beforeAll(async () => {
  useTempDataDir();
  h = await createTestDb();
  teamId = (await makeUser(h.prisma, "Counter")).team.id;
  otherTeamId = (await makeUser(h.prisma, "Other")).team.id;
  cacheDir = fs.mkdtempSync(path.join(os.tmpdir(), "bb-tokens-"));
});
afterAll(async () => {
  await h.close();
  fs.rmSync(cacheDir, { recursive: true, force: true });
});

describe("fileTokens", () => {
  it("counts every request of a file over several pages, per model, with each model's tokenizer", async () => {
    // 2,500 requests: three pages of 1,000. Every 5th is Qwen (estimated), the rest gpt-4 (cl100k, exact).
    const file = await makeFile(2500, (i) => ({
      model: i % 5 === 0 ? "qwen-plus" : "gpt-4",
      messages: [{ role: "system", content: "You are a helpful assistant." }, { role: "user", content: "tiktoken is great!" }],
      ...(i % 2 === 0 ? { max_tokens: 100 } : {}),
    }));
    const t = await fileTokens(h.prisma, teamId, file.id, { cacheDir: null });
    expect(t.requests).toBe(2500);
    const gpt4 = t.models.find((m) => m.model === "gpt-4")!;
    const qwen = t.models.find((m) => m.model === "qwen-plus")!;
    expect(gpt4).toMatchObject({ encoding: "cl100k_base", exact: true, requests: 2000 });
    expect(qwen).toMatchObject({ encoding: "o200k_base", exact: false, requests: 500 });
    expect(qwen.method).toContain("estimate");
    // Per request with cl100k: 3 + 1 + 6 ("You are a helpful assistant.") + 3 + 1 + 6 ("tiktoken is great!") + 3 = 23.
    const c = await tokenCounter("cl100k_base");
    expect(c.count("You are a helpful assistant.")).toBe(6);
    expect(gpt4.inputTokens).toBe(2000 * 23);
    // i even -> max_tokens 100. gpt-4 rows: i % 5 != 0; of 2,500, 1,250 are even, 250 of them multiples of 5 (Qwen).
    expect(gpt4.maxOutputTokens).toBe(1000 * 100);
    expect(gpt4.withoutMax).toBe(1000);
    expect(qwen.maxOutputTokens).toBe(250 * 100);
    expect(qwen.withoutMax).toBe(250);
  });

  it("caches a valid file's counts in the data folder, and not a file still being stored", async () => {
    const file = await makeFile(10, () => ({ model: "gpt-4o", messages: [{ role: "user", content: "hello world" }] }));
    const first = await fileTokens(h.prisma, teamId, file.id, { cacheDir });
    expect(first.models[0]).toMatchObject({ model: "gpt-4o", inputTokens: 90, exact: true });
    const cached = path.join(cacheDir, `${file.id}.${COUNT_VERSION}.json`);
    expect(fs.existsSync(cached)).toBe(true);
    // The second answer comes from the cache: rows deleted behind its back do not change it.
    await h.prisma.request.deleteMany({ where: { fileId: file.id } });
    expect(await fileTokens(h.prisma, teamId, file.id, { cacheDir })).toEqual(first);
    // A stale or foreign cache version is ignored.
    fs.writeFileSync(cached, JSON.stringify({ ...first, version: "v0" }));
    expect((await fileTokens(h.prisma, teamId, file.id, { cacheDir })).requests).toBe(0);

    const storing = await makeFile(3, () => ({ model: "gpt-4o", messages: [{ role: "user", content: "hello world" }] }), "uploading");
    await fileTokens(h.prisma, teamId, storing.id, { cacheDir });
    expect(fs.existsSync(path.join(cacheDir, `${storing.id}.${COUNT_VERSION}.json`))).toBe(false);
  });

  it("answers not found for another team's file", async () => {
    const file = await makeFile(1, () => ({ model: "gpt-4o", messages: [] }));
    await expect(fileTokens(h.prisma, otherTeamId, file.id, { cacheDir: null })).rejects.toThrow("That file was not found.");
  });
});
