// The official openai SDK drives the sandbox over real HTTP, as Batchboard does in production.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import OpenAI, { AuthenticationError, BadRequestError, NotFoundError } from "openai";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DbHandle } from "@/lib/db/client";
import { resetEnvForTests } from "@/lib/env";
import { createTestDb } from "@/lib/test/db";
import { serve } from "@/lib/test/http";
import { sandboxKeyForTeam } from "./keys";
import { handleSandboxRequest } from "./server";

let h: DbHandle;
let srv: { url: string; close(): Promise<void> };
let dir: string;
let client: OpenAI;
let other: OpenAI;

const make = (key: string) => new OpenAI({ apiKey: key, baseURL: `${srv.url}/some/prefix/v1`, maxRetries: 0 });

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "sandbox-test-"));
  process.env.DATA_DIR = dir;
  process.env.SANDBOX_MS_PER_REQUEST = "20";
  resetEnvForTests();
  h = await createTestDb();
  srv = await serve(handleSandboxRequest);
  client = make(sandboxKeyForTeam("team-a"));
  other = make(sandboxKeyForTeam("team-b"));
});

afterAll(async () => {
  await srv?.close();
  await h?.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

function chatLine(customId: string, text: string) {
  return JSON.stringify({
    custom_id: customId,
    method: "POST",
    url: "/v1/chat/completions",
    body: { model: "batch-test-model", messages: [{ role: "user", content: text }] },
  });
}

async function upload(lines: string[], name = "input.jsonl") {
  const file = path.join(dir, name);
  fs.writeFileSync(file, lines.join("\n") + "\n");
  return client.files.create({ file: fs.createReadStream(file), purpose: "batch" });
}

async function pollUntil(id: string, done: (s: string) => boolean, c = client) {
  for (let i = 0; i < 400; i++) {
    const b = await c.batches.retrieve(id);
    if (done(b.status)) return b;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`batch ${id} never reached the expected status`);
}

const terminal = (s: string) => ["completed", "failed", "expired", "cancelled"].includes(s);

async function jsonl(fileId: string | null | undefined) {
  if (!fileId) return [];
  const text = await (await client.files.content(fileId)).text();
  return text
    .split("\n")
    .filter(Boolean)
    .map((l) => JSON.parse(l));
}

describe("sandbox provider through the openai SDK", () => {
  it("runs a batch to completion with failures on demand, in the provider's output format", async () => {
    const lines = Array.from({ length: 12 }, (_, i) => chatLine(`req-${i}`, i === 3 ? "please [fail] here" : `question ${i}`));
    const file = await upload(lines);
    expect(file).toMatchObject({ object: "file", purpose: "batch", status: "processed", filename: "input.jsonl" });
    expect(file.id).toMatch(/^file-/);
    expect(file.bytes).toBe(fs.statSync(path.join(dir, "input.jsonl")).size);

    const created = await client.batches.create({
      input_file_id: file.id,
      endpoint: "/v1/chat/completions",
      completion_window: "24h",
      // Requests 5 and 10 (1-based) fail, plus the "[fail]" one; 50 ms each to see in_progress.
      metadata: { sandbox_fail_every: "5", sandbox_ms_per_request: "50" },
    });
    expect(created.id).toMatch(/^batch_/);
    expect(created.status).toBe("validating");
    expect(created.request_counts).toEqual({ total: 12, completed: 0, failed: 0 });
    expect(created.expires_at).toBe(created.created_at + 24 * 3600);

    const seen = new Set<string>();
    let b = created;
    while (!terminal(b.status)) {
      seen.add(b.status);
      await new Promise((r) => setTimeout(r, 15));
      b = await client.batches.retrieve(created.id);
    }
    expect(seen).toContain("in_progress");
    expect(b.status).toBe("completed");
    expect(b.request_counts).toEqual({ total: 12, completed: 9, failed: 3 });
    for (const k of ["in_progress_at", "finalizing_at", "completed_at"] as const) expect(b[k]).toBeTypeOf("number");
    expect(b.cancelled_at ?? null).toBeNull();

    const out = await jsonl(b.output_file_id);
    const errs = await jsonl(b.error_file_id);
    expect(out).toHaveLength(9);
    expect(errs).toHaveLength(3);
    const ids = [...out, ...errs].map((l) => l.custom_id);
    expect(new Set(ids).size).toBe(12);
    expect([...ids].sort()).toEqual(lines.map((_, i) => `req-${i}`).sort());
    expect(out.map((l) => l.custom_id)).not.toEqual([...out.map((l) => l.custom_id)].sort(byNumber)); // not in input order
    expect(errs.map((l) => l.custom_id).sort()).toEqual(["req-3", "req-4", "req-9"]);

    const first = out.find((l) => l.custom_id === "req-0");
    expect(first).toMatchObject({ error: null, response: { status_code: 200 } });
    expect(first.id).toMatch(/^batch_req_/);
    const body = first.response.body;
    expect(body.object).toBe("chat.completion");
    expect(body.choices[0].message.content).toBe('This is a test result. You said: "question 0"');
    expect(body.choices[0].finish_reason).toBe("stop");
    expect(body.usage.total_tokens).toBe(body.usage.prompt_tokens + body.usage.completion_tokens);
    const failedLine = errs.find((l) => l.custom_id === "req-3");
    expect(failedLine.response.status_code).toBe(400);
    expect(failedLine.error).toEqual({ code: "data_inspection_failed", message: "Input data may contain inappropriate content." });
    expect(failedLine.response.body.error.code).toBe("data_inspection_failed");

    // Reading again changes nothing: the files are written once.
    const again = await client.batches.retrieve(created.id);
    expect(again.output_file_id).toBe(b.output_file_id);
    expect(await jsonl(again.output_file_id)).toEqual(out);
  });

  it("answers every 5th request with reasoning, and embeddings and responses endpoints", async () => {
    const file = await upload(Array.from({ length: 5 }, (_, i) => chatLine(`r${i}`, `think ${i}`)), "reason.jsonl");
    const b = await client.batches.create({ input_file_id: file.id, endpoint: "/v1/chat/completions", completion_window: "24h" });
    const done = await pollUntil(b.id, terminal);
    const out = await jsonl(done.output_file_id);
    const fifth = out.find((l) => l.custom_id === "r4").response.body;
    expect(fifth.choices[0].message.reasoning_content).toEqual(expect.any(String));
    expect(fifth.usage.completion_tokens_details.reasoning_tokens).toBeGreaterThan(0);
    expect(out.find((l) => l.custom_id === "r0").response.body.choices[0].message.reasoning_content).toBeUndefined();

    const emb = await upload(
      [JSON.stringify({ custom_id: "e1", method: "POST", url: "/v1/embeddings", body: { model: "m", input: "hello" } })],
      "emb.jsonl",
    );
    const eb = await client.batches.create({ input_file_id: emb.id, endpoint: "/v1/embeddings", completion_window: "1h" as "24h" });
    const edone = await pollUntil(eb.id, terminal);
    const [line] = await jsonl(edone.output_file_id);
    expect(line.response.body.object).toBe("list");
    expect(line.response.body.data[0].embedding).toHaveLength(8);

    const direct = await client.embeddings.create({ model: "m", input: "hello" });
    const expected: number[] = line.response.body.data[0].embedding;
    direct.data[0].embedding.forEach((x, i) => expect(x).toBeCloseTo(expected[i], 5)); // float32 over base64
    const plain = await client.embeddings.create({ model: "m", input: "hello", encoding_format: "float" });
    expect(plain.data[0].embedding).toEqual(expected);
    const chat = await client.chat.completions.create({ model: "m", messages: [{ role: "user", content: "hi" }] });
    expect(chat.choices[0].message.content).toBe('This is a test result. You said: "hi"');
    const resp = await client.responses.create({ model: "m", input: "hi" });
    expect(resp.output_text).toBe('This is a test result. You said: "hi"');
  });

  it("writes the result files once under concurrent polls", async () => {
    const file = await upload(Array.from({ length: 30 }, (_, i) => chatLine(`p${i}`, `q${i}`)), "race.jsonl");
    const b = await client.batches.create({
      input_file_id: file.id,
      endpoint: "/v1/chat/completions",
      completion_window: "24h",
      metadata: { sandbox_ms_per_request: "0", sandbox_fail_every: "4" },
    });
    const all = await Promise.all(Array.from({ length: 8 }, () => client.batches.retrieve(b.id)));
    expect(new Set(all.map((x) => `${x.status} ${x.output_file_id} ${x.error_file_id}`)).size).toBe(1);
    expect(all[0].status).toBe("completed");
    const rows = await h.prisma.sandboxFile.findMany({ where: { id: { in: [all[0].output_file_id!, all[0].error_file_id!] } } });
    expect(rows).toHaveLength(2);
    const out = await jsonl(all[0].output_file_id);
    expect(out).toHaveLength(23);
    expect(rows.find((r) => r.id === all[0].output_file_id)?.lines).toBe(23);
    // No temporary result file left behind, and nothing on disk.
    expect(await h.prisma.sandboxChunk.count({ where: { blobId: { endsWith: ".tmp" } } })).toBe(0);
    expect(fs.existsSync(path.join(dir, "sandbox"))).toBe(false);

    // What a second instance would do had it raced past the first: the same files, ids and rows.
    await h.prisma.sandboxBatch.update({ where: { id: b.id }, data: { finalized: false, outputFileId: null, errorFileId: null } });
    const again = await client.batches.retrieve(b.id);
    expect([again.output_file_id, again.error_file_id]).toEqual([all[0].output_file_id, all[0].error_file_id]);
    expect(await jsonl(again.output_file_id)).toEqual(out);
    expect(await h.prisma.sandboxFile.count({ where: { id: { in: [again.output_file_id!, again.error_file_id!] } } })).toBe(2);
  });

  it("lists batches newest first with auto-pagination", async () => {
    const file = await upload([chatLine("x", "x")], "one.jsonl");
    const made = [];
    for (let i = 0; i < 3; i++) {
      made.push((await client.batches.create({ input_file_id: file.id, endpoint: "/v1/chat/completions", completion_window: "24h" })).id);
    }
    const listed: string[] = [];
    for await (const b of client.batches.list({ limit: 1 })) listed.push(b.id);
    expect(new Set(listed).size).toBe(listed.length);
    expect(listed.slice(0, 3)).toEqual([...made].reverse());
    const page = await client.batches.list({ limit: 2 });
    expect(page.data).toHaveLength(2);
    expect(page.has_more).toBe(true);
    // Another team sees none of them.
    const theirs = await other.batches.list();
    expect(theirs.data).toHaveLength(0);
  });

  it("cancels a running batch and keeps the work already done", async () => {
    const file = await upload(Array.from({ length: 40 }, (_, i) => chatLine(`c${i}`, `q${i}`)), "cancel.jsonl");
    const b = await client.batches.create({
      input_file_id: file.id,
      endpoint: "/v1/chat/completions",
      completion_window: "24h",
      metadata: { sandbox_ms_per_request: "100" }, // 4 s of work: time to cancel even on a busy machine
    });
    await pollUntil(b.id, (s) => s === "in_progress");
    await new Promise((r) => setTimeout(r, 250));
    const cancelling = await client.batches.cancel(b.id);
    expect(cancelling.status).toBe("cancelling");
    expect(cancelling.cancelling_at).toBeTypeOf("number");
    const done = await pollUntil(b.id, terminal);
    expect(done.status).toBe("cancelled");
    const { completed, failed, total } = done.request_counts!;
    expect(total).toBe(40);
    expect(completed).toBeGreaterThan(0);
    expect(completed + failed).toBeLessThan(40);
    const out = await jsonl(done.output_file_id);
    expect(out).toHaveLength(completed);
    // Done in input order: the first `completed` requests.
    expect(out.map((l) => l.custom_id).sort()).toEqual(Array.from({ length: completed }, (_, i) => `c${i}`).sort());
    expect(done.error_file_id).toBeUndefined();
    await expect(client.batches.cancel(b.id)).resolves.toMatchObject({ status: "cancelled" });

    // A finished batch cannot be cancelled (400, which the SDK does not retry).
    const instant = await client.batches.create({
      input_file_id: file.id,
      endpoint: "/v1/chat/completions",
      completion_window: "24h",
      metadata: { sandbox_ms_per_request: "0" },
    });
    const finished = await pollUntil(instant.id, terminal);
    await expect(client.batches.cancel(finished.id)).rejects.toBeInstanceOf(BadRequestError);
  });

  it("expires a batch: partial results, the rest in the error file as batch_expired", async () => {
    const file = await upload(Array.from({ length: 20 }, (_, i) => chatLine(`x${i}`, `q${i}`)), "expire.jsonl");
    const b = await client.batches.create({
      input_file_id: file.id,
      endpoint: "/v1/chat/completions",
      completion_window: "24h",
      metadata: { sandbox_ms_per_request: "20", sandbox_expire_after_ms: "250" },
    });
    // 100 ms validating, then one request per 20 ms: 7 are done when the batch expires at 250 ms.
    const done = await pollUntil(b.id, terminal);
    expect(done.status).toBe("expired");
    expect(done.expired_at).toBeTypeOf("number");
    expect(done.request_counts).toEqual({ total: 20, completed: 7, failed: 0 });
    const out = await jsonl(done.output_file_id);
    const errs = await jsonl(done.error_file_id);
    expect(out).toHaveLength(7);
    expect(errs).toHaveLength(13);
    expect(errs.every((l) => l.error.code === "batch_expired" && l.response === null)).toBe(true);
    expect(new Set([...out, ...errs].map((l) => l.custom_id)).size).toBe(20);
  });

  it("fails a batch whose file is wrong, with line-numbered errors", async () => {
    const file = await upload(
      [chatLine("a", "ok"), "not json", JSON.stringify({ custom_id: "b", method: "POST", url: "/v1/embeddings", body: {} }), chatLine("a", "dup")],
      "bad.jsonl",
    );
    const b = await client.batches.create({ input_file_id: file.id, endpoint: "/v1/chat/completions", completion_window: "24h" });
    const done = await pollUntil(b.id, terminal);
    expect(done.status).toBe("failed");
    expect(done.failed_at).toBeTypeOf("number");
    expect(done.errors?.data?.map((e) => [e.code, e.line])).toEqual([
      ["invalid_json_line", 2],
      ["mismatched_url", 3],
      ["duplicate_custom_id", 4],
    ]);
  });

  it("answers errors as the SDK's typed errors", async () => {
    const bad = make("sk-sandbox-nope.nope");
    await expect(bad.batches.list()).rejects.toBeInstanceOf(AuthenticationError);
    await expect(new OpenAI({ apiKey: "sk-real-openai-key", baseURL: `${srv.url}/v1`, maxRetries: 0 }).files.list()).rejects.toMatchObject({
      status: 401,
      code: "invalid_api_key",
    });
    await expect(client.batches.retrieve("batch_missing")).rejects.toBeInstanceOf(NotFoundError);

    const file = await upload([chatLine("a", "x")], "mine.jsonl");
    await expect(other.files.retrieve(file.id)).rejects.toBeInstanceOf(NotFoundError);
    await expect(
      other.batches.create({ input_file_id: file.id, endpoint: "/v1/chat/completions", completion_window: "24h" }),
    ).rejects.toBeInstanceOf(BadRequestError);
    const mine = await client.batches.create({ input_file_id: file.id, endpoint: "/v1/chat/completions", completion_window: "24h" });
    await expect(other.batches.retrieve(mine.id)).rejects.toBeInstanceOf(NotFoundError);

    await expect(
      client.batches.create({ input_file_id: file.id, endpoint: "/v1/images" as "/v1/chat/completions", completion_window: "24h" }),
    ).rejects.toMatchObject({ status: 400, param: "endpoint" });
    await expect(
      client.batches.create({ input_file_id: file.id, endpoint: "/v1/chat/completions", completion_window: "2 weeks" as "24h" }),
    ).rejects.toMatchObject({ status: 400, param: "completion_window" });
    await expect(
      client.batches.create({ input_file_id: "file-nope", endpoint: "/v1/chat/completions", completion_window: "24h" }),
    ).rejects.toMatchObject({ status: 400, param: "input_file_id" });
    await expect(
      client.files.create({ file: fs.createReadStream(path.join(dir, "mine.jsonl")), purpose: "nonsense" as "batch" }),
    ).rejects.toMatchObject({ status: 400, param: "purpose" });

    const form = new FormData();
    form.append("file", new Blob(["{}\n"]), "x.jsonl");
    const res = await fetch(`${srv.url}/v1/files`, {
      method: "POST",
      headers: { authorization: `Bearer ${sandboxKeyForTeam("team-a")}` },
      body: form,
    });
    expect(res.status).toBe(400);
    expect((await res.json()).error).toMatchObject({ param: "purpose", type: "invalid_request_error" });
  });

  it("lists, reads and deletes files", async () => {
    const file = await upload([chatLine("a", "x"), chatLine("b", "y")], "files.jsonl");
    expect(await (await client.files.content(file.id)).text()).toBe(fs.readFileSync(path.join(dir, "files.jsonl"), "utf8"));
    const all: string[] = [];
    for await (const f of client.files.list({ limit: 2 })) all.push(f.id);
    expect(all).toContain(file.id);
    expect(new Set(all).size).toBe(all.length);
    const got = await client.files.retrieve(file.id);
    expect(got).toMatchObject({ id: file.id, bytes: file.bytes, purpose: "batch" });
    // A batch started before the delete still finishes: it keeps its own copy of the input.
    const b = await client.batches.create({ input_file_id: file.id, endpoint: "/v1/chat/completions", completion_window: "24h" });
    expect(await client.files.delete(file.id)).toEqual({ id: file.id, object: "file", deleted: true });
    await expect(client.files.retrieve(file.id)).rejects.toBeInstanceOf(NotFoundError);
    const done = await pollUntil(b.id, terminal);
    expect(await jsonl(done.output_file_id)).toHaveLength(2);
  });
});

function byNumber(a: string, b: string) {
  return Number(a.split("-")[1]) - Number(b.split("-")[1]);
}
