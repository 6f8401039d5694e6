// An upload checked for a Custom OpenAI-compatible connection (?connection=) is held to the limits
// the team set on it, and refused with the line and the limit. That provider splits: a file over
// one batch's request count or size is launched as a job of parts, up to what 200 parts hold.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DbHandle } from "@/lib/db/client";
import { createTestDb } from "@/lib/test/db";
import { handleUpload } from "./upload";
import { doneFile, uploadRequest } from "./upload.fixtures";

let h: DbHandle;
let teamId: string;
let userId: string;
let connectionId: string;
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "bb-upload-limits-"));
const CHAT = "/v1/chat/completions";

beforeAll(async () => {
  h = await createTestDb();
  const user = await h.prisma.user.create({ data: { email: `lim-${Date.now()}@example.com`, name: "Lim", passwordHash: "x" } });
  const team = await h.prisma.team.create({ data: { name: "Limits team" } });
  teamId = team.id;
  userId = user.id;
  const c = await h.prisma.providerConnection.create({
    data: {
      teamId,
      kind: "openai-compatible",
      name: "Acme",
      baseUrl: "https://llm.acme.test/v1",
      encryptedKey: "v1:x:y:z",
      keyLast4: "abcd",
      limits: { maxRequests: 3, maxCustomIdLength: 5, maxFileBytes: 4096, endpoints: [CHAT] },
    },
  });
  connectionId = c.id;
});
afterAll(async () => {
  await h.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

const line = (id: string) => JSON.stringify({ custom_id: id, method: "POST", url: CHAT, body: { model: "m", messages: [{ role: "user", content: "hi" }] } });

function upload(content: string, target: string | null = connectionId, endpoint = CHAT) {
  return handleUpload(uploadRequest(content, { endpoint, query: target ? `?connection=${target}` : "" }), { teamId, userId }, { dataDir });
}

const done = doneFile;

describe("an upload checked for a custom connection with edited limits", () => {
  it("takes a file at the edited max requests", async () => {
    const f = await done(await upload([line("a"), line("b"), line("c")].join("\n") + "\n"));
    expect(f).toMatchObject({ status: "valid", requestCount: 3 });
  });

  it("takes one request more as a job of parts (the connection splits), with a note naming the line and the limit per batch", async () => {
    const f = await done(await upload([line("a"), line("b"), line("c"), line("d")].join("\n") + "\n"));
    expect(f).toMatchObject({ status: "valid", requestCount: 4, warningCount: 1 });
    expect(f.warnings).toEqual([
      { line: 4, code: "job-of-parts", message: "This is request 4, over Acme (Custom OpenAI-compatible)'s limit of 3 per batch: the file will be launched as a job of parts" },
    ]);
  });

  it("refuses a request past what a job of 200 parts of 3 holds, naming the line and the limit", async () => {
    const f = await done(await upload(Array.from({ length: 601 }, (_, i) => line(`r${i}`)).join("\n") + "\n"));
    expect(f.status).toBe("invalid");
    expect(f.problems).toEqual([{ line: 601, message: "Too many requests: a file launched as a job of parts may hold at most 600; this is request 601" }]);
  });

  it("holds custom_ids to the edited length", async () => {
    const f = await done(await upload([line("abcde"), line("abcdef")].join("\n") + "\n"));
    expect(f.problems).toEqual([{ line: 2, field: "custom_id", message: "custom_id is 6 characters, over Acme (Custom OpenAI-compatible)'s limit of 5" }]);
  });

  it("takes a file over the edited size as a job of parts, refuses one over what 200 parts hold, and an endpoint the connection no longer offers", async () => {
    const padded = (n: number) => Array.from({ length: n }, (_, i) => line(`r${i}`).replace("hi", "x".repeat(2000))).join("\n") + "\n";
    const job = await done(await upload(padded(3)));
    expect(job).toMatchObject({ status: "valid", requestCount: 3, warningCount: 1 });
    expect(job.warnings).toEqual([
      { line: 2, code: "job-of-parts", message: "The file passes Acme (Custom OpenAI-compatible)'s limit of 4 KB per batch on this line: it will be launched as a job of parts" },
    ]);
    // Over 200 parts of 4 KB: refused as it comes in (413), before it is checked.
    const big = await upload(padded(400));
    expect(big.status).toBe(413);
    expect(((await big.json()) as { error: string }).error).toBe("The file is over the 800 KB limit for a file launched as a job of parts. Split it into smaller files.");
    const emb = await upload(line("a").replace(CHAT, "/v1/embeddings") + "\n", connectionId, "/v1/embeddings");
    expect(emb.status).toBe(400);
    expect(((await emb.json()) as { error: string }).error).toBe("Acme (Custom OpenAI-compatible) does not offer /v1/embeddings; it offers /v1/chat/completions.");
    // Without a target, the loosest limits: the same file is fine.
    expect((await done(await upload([line("a"), line("b"), line("c"), line("d")].join("\n") + "\n", null))).status).toBe("valid");
  });

  it("falls back to the defaults when the stored limits no longer parse", async () => {
    await h.prisma.providerConnection.update({ where: { id: connectionId }, data: { limits: { maxRequests: 0 } } });
    const f = await done(await upload([line("a"), line("b"), line("c"), line("d")].join("\n") + "\n"));
    expect(f.status).toBe("valid");
  });
});

describe("warnings at upload, with a connection chosen", () => {
  it("stores a valid file with its warnings (OpenAI: temperature over 2, gpt-4o-mini's context), shown with the upload's outcome and kept on the file", async () => {
    const openai = await h.prisma.providerConnection.create({
      data: { teamId, kind: "openai", name: "OpenAI", baseUrl: "https://api.openai.com/v1", encryptedKey: "v1:x:y:z", keyLast4: "abcd" },
    });
    const chat = (id: string, body: Record<string, unknown>) => JSON.stringify({ custom_id: id, method: "POST", url: CHAT, body: { model: "gpt-4o-mini", messages: [{ role: "user", content: "hi" }], ...body } });
    const f = await done(await upload([chat("a", {}), chat("b", { temperature: 3 }), chat("c", { messages: [{ role: "user", content: "x".repeat(600_000) }] })].join("\n") + "\n", openai.id));
    expect(f).toMatchObject({ status: "valid", requestCount: 3, warningCount: 2 });
    expect(f.warnings).toEqual([
      { line: 2, field: "body.temperature", message: "body.temperature is 3; the provider takes between 0 and 2, so this request will likely fail" },
      { line: 3, field: "body.messages", message: expect.stringMatching(/over gpt-4o-mini's context of 128,000 tokens/) },
    ]);
    const row = await h.prisma.inputFile.findUniqueOrThrow({ where: { id: f.id }, select: { warningCount: true, warnings: true, status: true } });
    expect(row).toMatchObject({ status: "valid", warningCount: 2 });
    expect(row.warnings).toEqual(f.warnings);
  });
});
