// The sandbox's imitations over real HTTP (lib/providers/imitations.ts): each answers with its provider's quirks.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DbHandle } from "@/lib/db/client";
import { resetEnvForTests } from "@/lib/env";
import { createTestDb } from "@/lib/test/db";
import { serve } from "@/lib/test/http";
import { sandboxKeyForTeam } from "@/lib/providers/sandbox/keys";
import { handleSandboxRequest } from "@/lib/providers/sandbox/server";
import { uploadFile } from "@/lib/providers/sandbox/files";
import { SandboxError } from "@/lib/providers/sandbox/api-error";
import { modes } from "@/lib/providers/imitations";

let h: DbHandle;
let srv: { url: string; close(): Promise<void> };
let dir: string;
const auth = { authorization: `Bearer ${""}` };

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "sandbox-modes-"));
  process.env.DATA_DIR = dir;
  process.env.SANDBOX_MS_PER_REQUEST = "20";
  resetEnvForTests();
  h = await createTestDb();
  srv = await serve(handleSandboxRequest);
  auth.authorization = `Bearer ${sandboxKeyForTeam("team-modes")}`;
});

afterAll(async () => {
  await srv?.close();
  await h?.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const line = (id: string, model = "batch-test-model", url = "/v1/chat/completions") =>
  JSON.stringify({ custom_id: id, method: "POST", url, body: { model, messages: [{ role: "user", content: `q ${id}` }] } });

async function upload(mode: string, lines: string[], opts: { purpose?: string; name?: string } = {}) {
  const form = new FormData();
  form.append("purpose", opts.purpose ?? "batch");
  form.append("file", new Blob([lines.map((l) => `${l}\n`).join("")]), opts.name ?? "in.jsonl");
  return fetch(`${srv.url}/api/sandbox/${mode}/v1/files`, { method: "POST", headers: auth, body: form });
}

async function call(mode: string, method: string, p: string, body?: unknown) {
  return fetch(`${srv.url}/api/sandbox/${mode}/v1${p}`, {
    method,
    headers: { ...auth, ...(body ? { "content-type": "application/json" } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
}

async function create(mode: string, body: Record<string, unknown>) {
  return call(mode, "POST", "/batches", { endpoint: "/v1/chat/completions", completion_window: "24h", ...body });
}

async function until(mode: string, id: string, done: (b: Record<string, unknown>) => boolean) {
  for (let i = 0; i < 400; i++) {
    const b = await (await call(mode, "GET", `/batches/${id}`)).json();
    if (done(b)) return b;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error("never reached");
}

describe("sandbox modes", () => {
  it("doubleword: 201 on upload and create, bare UUIDs, custom_id <= 64 ASCII, expired when out of time, a failed batch's error_file_id", async () => {
    const up = await upload("doubleword", [line("a"), line("b")]);
    expect(up.status).toBe(201);
    const file = await up.json();
    expect(file.id).toMatch(UUID);
    expect((await upload("doubleword", [line("a")], { purpose: "fine-tune" })).status).toBe(400);
    const res = await create("doubleword", { input_file_id: file.id, completion_window: "1h" });
    expect(res.status).toBe(201);
    const b = await res.json();
    expect(b.id).toMatch(UUID);
    expect((await create("doubleword", { input_file_id: file.id, completion_window: "48h" })).status).toBe(400);

    const long = await (await upload("doubleword", [line("x".repeat(64)), line("y".repeat(65)), line("café-1")])).json();
    const bad = await (await create("doubleword", { input_file_id: long.id })).json();
    const failed = await until("doubleword", bad.id, (x) => x.status === "failed");
    expect((failed.errors as { data: { code: string; line: number }[] }).data).toEqual([
      expect.objectContaining({ code: "invalid_custom_id", line: 2 }),
      expect.objectContaining({ code: "invalid_custom_id", line: 3, message: "'custom_id' must be plain ASCII." }),
    ]);
    // "failed - Batch failed (check error_file_id)": the problems, one a line, in the seed's error format.
    expect(failed.error_file_id).toMatch(UUID);
    const problems = (await (await call("doubleword", "GET", `/files/${failed.error_file_id}/content`)).text()).trim().split("\n").map((l) => JSON.parse(l));
    expect(problems).toEqual([
      { id: expect.any(String), custom_id: "y".repeat(65), error: { code: "invalid_custom_id", message: "Line 2: 'custom_id' may have at most 64 characters." } },
      { id: expect.any(String), custom_id: "café-1", error: { code: "invalid_custom_id", message: "Line 3: 'custom_id' must be plain ASCII." } },
    ]);

    // Out of time: "expired" (the seed lists it), the unfinished requests in the error file.
    const late = await (await create("doubleword", { input_file_id: file.id, metadata: { sandbox_ms_per_request: "200", sandbox_expire_after_ms: "50" } })).json();
    const over = await until("doubleword", late.id, (x) => x.status !== "validating" && x.status !== "in_progress");
    expect(over.status).toBe("expired");
    expect(over.expired_at).toEqual(expect.any(Number));
    expect(over.completed_at).toBeUndefined();
    expect(over.request_counts).toEqual({ total: 2, completed: 0, failed: 0 });
    const errs = await (await call("doubleword", "GET", `/files/${over.error_file_id}/content`)).text();
    expect(errs.trim().split("\n")).toHaveLength(2);
  });

  it("doubleword: the seed's request file and create body, and the list's search and created_after/created_before", async () => {
    // Step 1 of the seed, byte for byte.
    const seedLines = [
      `{"custom_id": "req-1", "method": "POST", "url": "/v1/chat/completions", "body": {"model": "anthropic/claude-3-5-sonnet", "messages": [{"role": "user", "content": "What is 2+2?"}]}}`,
      `{"custom_id": "req-2", "method": "POST", "url": "/v1/chat/completions", "body": {"model": "anthropic/claude-3-5-sonnet", "messages": [{"role": "user", "content": "What is the capital of France?"}]}}`,
    ];
    const file = await (await upload("doubleword", seedLines, { name: "batch_requests.jsonl" })).json();
    const before = new Date(Date.now() - 1000).toISOString();
    const b = await (await call("doubleword", "POST", "/batches", { input_file_id: file.id, endpoint: "/v1/chat/completions", completion_window: "24h", metadata: { name: "nightly-qa-7" } })).json();
    await until("doubleword", b.id, (x) => x.status === "completed");
    const after = new Date(Date.now() + 1000).toISOString();

    const ids = async (q: string) => ((await (await call("doubleword", "GET", `/batches?${q}`)).json()).data as { id: string }[]).map((x) => x.id);
    expect(await ids("search=nightly-qa-7")).toEqual([b.id]);
    expect(await ids("search=NIGHTLY-QA")).toEqual([b.id]);
    expect(await ids("search=no-such-batch")).toEqual([]);
    expect(await ids(`created_after=${encodeURIComponent(before)}&created_before=${encodeURIComponent(after)}&search=nightly`)).toEqual([b.id]);
    expect(await ids(`created_after=${encodeURIComponent(after)}`)).toEqual([]);
    expect(await ids(`created_before=${encodeURIComponent(before)}&search=nightly`)).toEqual([]);
    expect((await call("doubleword", "GET", "/batches?created_after=yesterday")).status).toBe(400);
  });

  it("doubleword: partial results while running, resumable with ?offset= or ?skip=", async () => {
    const file = await (await upload("doubleword", Array.from({ length: 10 }, (_, i) => line(`p${i}`)))).json();
    const b = await (await create("doubleword", { input_file_id: file.id, metadata: { sandbox_ms_per_request: "100" } })).json();
    expect(b.output_file_id).toMatch(UUID); // named from the start
    const running = await until("doubleword", b.id, (x) => (x.request_counts as { completed: number }).completed >= 3);
    expect(running.status).toBe("in_progress");
    const first = await call("doubleword", "GET", `/files/${b.output_file_id}/content`);
    expect(first.headers.get("x-incomplete")).toBe("true");
    const got = (await first.text()).trim().split("\n").map((l) => JSON.parse(l).custom_id);
    expect(Number(first.headers.get("x-last-line"))).toBe(got.length);
    expect(got.slice(0, 3)).toEqual(["p0", "p1", "p2"]);

    await until("doubleword", b.id, (x) => x.status === "completed");
    const rest = await call("doubleword", "GET", `/files/${b.output_file_id}/content?offset=${got.length}`);
    expect(rest.headers.get("x-incomplete")).toBeNull();
    const more = (await rest.text()).trim().split("\n").map((l) => JSON.parse(l).custom_id);
    expect([...got, ...more]).toEqual(Array.from({ length: 10 }, (_, i) => `p${i}`));
    expect(rest.headers.get("x-last-line")).toBe("10");
    const skipped = await call("doubleword", "GET", `/files/${b.output_file_id}/content?skip=9`);
    expect((await skipped.text()).trim().split("\n")).toHaveLength(1);
  });

  it("together: purpose batch-api required, UUIDs, UPPERCASE statuses, ISO dates and progress, a plain array list", async () => {
    expect((await upload("together", [line("a")])).status).toBe(400);
    const file = await (await upload("together", [line("a"), line("b")], { purpose: "batch-api" })).json();
    expect(file.id).toMatch(UUID);
    const b = await (await create("together", { input_file_id: file.id })).json();
    expect(b.id).toMatch(UUID);
    expect(b.status).toBe("VALIDATING");
    expect(b.created_at).toMatch(/^\d{4}-\d{2}-\d{2}T/);
    expect(b.request_counts).toBeUndefined();
    const done = await until("together", b.id, (x) => x.status === "COMPLETED");
    expect(done.progress).toBe(100);
    const list = await (await call("together", "GET", "/batches")).json();
    expect(Array.isArray(list)).toBe(true);
    expect(list.map((x: { id: string }) => x.id)).toContain(b.id);
    expect((await create("together", { input_file_id: file.id, completion_window: "48h" })).status).toBe(400);
  });

  it("bailian: file-batch- ids, windows 24h..336h in h or d, ds_name/ds_description, one model, the test model, nulls, list filters", async () => {
    const file = await (await upload("bailian", [line("a", "qwen-plus"), line("b", "qwen-plus")])).json();
    expect(file.id).toMatch(/^file-batch-/);
    // "仅支持下载以file-batch_output开头的file_id对应的文件": the input cannot be read back.
    const input = await call("bailian", "GET", `/files/${file.id}/content`);
    expect(input.status).toBe(403);
    expect((await input.json()).error.message).toMatch(/only a batch's output and error files/);
    for (const [w, ok] of [["24h", true], ["23h", false], ["336h", true], ["337h", false], ["14d", true], ["15d", false]] as const) {
      expect((await create("bailian", { input_file_id: file.id, completion_window: w })).status, w).toBe(ok ? 200 : 400);
    }
    expect((await create("bailian", { input_file_id: file.id, metadata: { ds_name: "n".repeat(101) } })).status).toBe(400);
    expect((await create("bailian", { input_file_id: file.id, metadata: { ds_description: "d".repeat(201) } })).status).toBe(400);
    const named = await (await create("bailian", { input_file_id: file.id, metadata: { ds_name: "Nightly run", ds_description: "d".repeat(200) } })).json();
    expect(named.output_file_id).toBeNull(); // sent as null, as Bailian's examples show
    const done = await until("bailian", named.id, (x) => x.status === "completed");
    expect(done.output_file_id).toMatch(/^file-batch_output-/);

    const filtered = await (await call("bailian", "GET", "/batches?ds_name=Nightly&status=completed,expired")).json();
    expect(filtered.data.map((x: { id: string }) => x.id)).toEqual([named.id]);
    const byFile = await (await call("bailian", "GET", `/batches?input_file_ids=${file.id}&limit=100`)).json();
    expect(byFile.data.length).toBeGreaterThanOrEqual(4);

    const mixed = await (await upload("bailian", [line("a", "qwen-plus"), line("b", "qwen-max")])).json();
    const mb = await (await create("bailian", { input_file_id: mixed.id })).json();
    const failed = await until("bailian", mb.id, (x) => x.status === "failed");
    expect((failed.errors as { data: { code: string; line: number }[] }).data).toEqual([expect.objectContaining({ code: "model_mismatch", line: 2 })]);

    // The seed's test_model.jsonl, byte for byte: the fixed answer {"content":"This is a test result."}.
    const test = await (
      await upload("bailian", [
        `{"custom_id":"1","method":"POST","url":"/v1/chat/ds-test","body":{"model":"batch-test-model","messages":[{"role":"system","content":"You are a helpful assistant."},{"role":"user","content":"你好!有什么可以帮助你的吗?"}]}}`,
        `{"custom_id":"2","method":"POST","url":"/v1/chat/ds-test","body":{"model":"batch-test-model","messages":[{"role":"system","content":"You are a helpful assistant."},{"role":"user","content":"What is 2+2?"}]}}`,
      ], { name: "test_model.jsonl" })
    ).json();
    const tb = await (await call("bailian", "POST", "/batches", { input_file_id: test.id, endpoint: "/v1/chat/ds-test", completion_window: "24h" })).json();
    const tdone = await until("bailian", tb.id, (x) => x.status === "completed");
    const outs = (await (await call("bailian", "GET", `/files/${tdone.output_file_id}/content`)).text()).trim().split("\n").map((l) => JSON.parse(l));
    expect(outs.map((o) => o.response.body.choices[0].message.content)).toEqual(["This is a test result.", "This is a test result."]);
    const tooMany = await (await upload("bailian", Array.from({ length: 101 }, (_, i) => line(`t${i}`, "batch-test-model", "/v1/chat/ds-test")))).json();
    expect((await create("bailian", { input_file_id: tooMany.id, endpoint: "/v1/chat/ds-test" })).status).toBe(400);
  });

  it("moonshot: .jsonl names only, not empty, one model per batch, windows 12h..7d", async () => {
    expect((await upload("moonshot", [line("a")], { name: "in.json" })).status).toBe(400);
    expect((await upload("moonshot", [], { name: "empty.jsonl" })).status).toBe(400);
    const file = await (await upload("moonshot", [line("a", "kimi-k2-turbo-preview"), line("b", "moonshot-v1-8k")])).json();
    expect((await create("moonshot", { input_file_id: file.id, completion_window: "11h" })).status).toBe(400);
    expect((await create("moonshot", { input_file_id: file.id, completion_window: "8d" })).status).toBe(400);
    const b = await (await create("moonshot", { input_file_id: file.id, completion_window: "7d" })).json();
    const failed = await until("moonshot", b.id, (x) => x.status === "failed");
    expect((failed.errors as { data: { code: string }[] }).data[0].code).toBe("model_mismatch");
  });

  it("moonshot: the documented create body {input_file_id, completion_window}; a model the key cannot use fails the batch", async () => {
    const file = await (await upload("moonshot", [line("a", "moonshot-v1-8k"), line("b", "moonshot-v1-8k")])).json();
    // The seed's curl body: no endpoint.
    const res = await call("moonshot", "POST", "/batches", { input_file_id: file.id, completion_window: "24h" });
    expect(res.status).toBe(200);
    const b = await res.json();
    expect(b.endpoint).toBe("/v1/chat/completions");
    expect((await until("moonshot", b.id, (x) => x.status === "completed")).request_counts).toEqual({ total: 2, completed: 2, failed: 0 });

    // "指定的模型必须存在且用户有访问权限": m1 is not among /models, and the batch does not complete.
    const models = (await (await call("moonshot", "GET", "/models")).json()).data.map((m: { id: string }) => m.id);
    expect(models).toContain("moonshot-v1-8k");
    expect(models).not.toContain("m1");
    const m1 = await (await upload("moonshot", [line("a", "m1")])).json();
    const mb = await (await call("moonshot", "POST", "/batches", { input_file_id: m1.id, completion_window: "24h" })).json();
    const failed = await until("moonshot", mb.id, (x) => x.status === "failed");
    expect((failed.errors as { data: unknown[] }).data).toEqual([expect.objectContaining({ code: "model_not_found", line: 1 })]);
  });

  it("bailian: one thinking mode per batch, the 30-day query window, OSS input named as unreadable", async () => {
    // The seed's example lines (enable_thinking true), then one without it (false by default).
    const seedLine = (id: string, content: string, thinking?: boolean) =>
      `{"custom_id":"${id}","method":"POST","url":"/v1/chat/completions","body":{"model":"qwen-turbo-latest","stream":true,${thinking === undefined ? "" : `"enable_thinking":${thinking},"thinking_budget":50,`}"messages":[{"role":"system","content":"You are a helpful assistant."},{"role":"user","content":"${content}"}],"max_tokens": 1000,"temperature":0.7}}`;
    const same = await (await upload("bailian", [seedLine("1", "你是谁?", true), seedLine("2", "What is 2+2?", true)])).json();
    const ok = await (await create("bailian", { input_file_id: same.id })).json();
    await until("bailian", ok.id, (x) => x.status === "completed");
    const mixed = await (await upload("bailian", [seedLine("1", "你是谁?", true), seedLine("2", "What is 2+2?")])).json();
    const mb = await (await create("bailian", { input_file_id: mixed.id })).json();
    const failed = await until("bailian", mb.id, (x) => x.status === "failed");
    expect((failed.errors as { data: unknown[] }).data).toEqual([expect.objectContaining({ code: "thinking_mode_mismatch", line: 2, param: "body.enable_thinking" })]);

    // "当前仅支持查询30天之内创建的Batch任务"
    await h.prisma.sandboxBatch.update({ where: { id: ok.id }, data: { createdAt: new Date(Date.now() - 31 * 86_400_000) } });
    const old = await call("bailian", "GET", `/batches/${ok.id}`);
    expect(old.status).toBe(404);
    expect((await old.json()).error.message).toMatch(/only batches created in the last 30 days/);
    const listed = (await (await call("bailian", "GET", "/batches?limit=100")).json()).data.map((x: { id: string }) => x.id);
    expect(listed).not.toContain(ok.id);
    expect(listed).toContain(mb.id);

    for (const oss of ["oss:cn-beijing:testbucket/Batch/20250317/test.jsonl", "https://testbucket.oss-cn-beijing.aliyuncs.com/xxx/xxx/Batch/20250317/test.jsonl?Expires=xxx"]) {
      const res = await create("bailian", { input_file_id: oss });
      expect(res.status).toBe(400);
      expect((await res.json()).error).toMatchObject({ code: "unsupported_oss_input", message: expect.stringMatching(/names an OSS object\. The sandbox cannot read OSS/) });
    }
  });

  it("openai: only the 24h window, and every endpoint the spec lists for batches answers in its own shape", async () => {
    const chat = await (await upload("openai", [line("a", "gpt-4o-mini")])).json();
    for (const [w, status] of [["24h", 200], ["1h", 400], ["48h", 400], ["14d", 400]] as const) {
      expect((await create("openai", { input_file_id: chat.id, completion_window: w })).status, w).toBe(status);
    }
    // The built-in Sandbox stays lenient (its own path, no mode).
    const lenient = await fetch(`${srv.url}/api/sandbox/v1/batches`, {
      method: "POST",
      headers: { ...auth, "content-type": "application/json" },
      body: JSON.stringify({ input_file_id: chat.id, endpoint: "/v1/chat/completions", completion_window: "1h" }),
    });
    expect(lenient.status).toBe(200);
    // So does a custom OpenAI-compatible connection's imitation (/custom/): any model, any window 1h..14d.
    expect((await create("custom", { input_file_id: chat.id, completion_window: "48h" })).status).toBe(200);

    const cases: [string, string, Record<string, unknown>, (body: Record<string, unknown>) => void][] = [
      ["/v1/completions", "gpt-3.5-turbo-instruct", { prompt: "Say this is a test", max_tokens: 7 }, (b) => {
        expect(b.object).toBe("text_completion");
        expect((b.choices as { text: string }[])[0].text).toMatch(/^This is a test result\./);
      }],
      ["/v1/moderations", "omni-moderation-latest", { input: "I want to kill them." }, (b) => {
        expect((b.results as { flagged: boolean }[])[0].flagged).toBe(false);
      }],
      ["/v1/images/generations", "gpt-image-1", { prompt: "A cute baby sea otter", n: 1, size: "1024x1024" }, (b) => {
        const png = Buffer.from((b.data as { b64_json: string }[])[0].b64_json, "base64");
        expect(png.subarray(1, 4).toString("ascii")).toBe("PNG");
      }],
      ["/v1/images/edits", "gpt-image-1", { prompt: "Add a hat", image: "https://example.com/otter.png" }, (b) => {
        expect((b.data as { b64_json: string }[])).toHaveLength(1);
      }],
      ["/v1/videos", "sora-2", { prompt: "A calico cat playing a piano on stage" }, (b) => {
        expect(b).toMatchObject({ object: "video", status: "completed", model: "sora-2" });
      }],
      ["/v1/responses", "gpt-4.1", { input: "Tell me a three sentence bedtime story about a unicorn." }, (b) => {
        expect(b.object).toBe("response");
      }],
    ];
    for (const [url, model, body, check] of cases) {
      const f = await (await upload("openai", [JSON.stringify({ custom_id: "request-1", method: "POST", url, body: { model, ...body } })])).json();
      const b = await (await create("openai", { input_file_id: f.id, endpoint: url })).json();
      const done = await until("openai", b.id, (x) => x.status === "completed" || x.status === "failed");
      expect(done.status, url).toBe("completed");
      const out = JSON.parse((await (await call("openai", "GET", `/files/${done.output_file_id}/content`)).text()).trim());
      check(out.response.body);
    }
  });

  it("openai: at most 50,000 embedding inputs across an /v1/embeddings batch", async () => {
    const emb = (id: string, n: number) => JSON.stringify({ custom_id: id, method: "POST", url: "/v1/embeddings", body: { model: "text-embedding-3-small", input: Array.from({ length: n }, (_, i) => `t${i}`) } });
    const atLimit = await (await upload("openai", [emb("a", 25_000), emb("b", 25_000)])).json();
    const ok = await (await create("openai", { input_file_id: atLimit.id, endpoint: "/v1/embeddings", metadata: { sandbox_ms_per_request: "1" } })).json();
    expect((await until("openai", ok.id, (x) => x.status !== "validating")).status).not.toBe("failed");
    const over = await (await upload("openai", [emb("a", 25_000), emb("b", 25_001)])).json();
    const bad = await (await create("openai", { input_file_id: over.id, endpoint: "/v1/embeddings" })).json();
    const failed = await until("openai", bad.id, (x) => x.status === "failed");
    expect((failed.errors as { data: unknown[] }).data).toEqual([expect.objectContaining({ code: "too_many_embedding_inputs", message: expect.stringContaining("this file has 50001") })]);
  });

  it("a file of exactly the size limit is taken, one byte more is refused with 413 (100 MB Moonshot, 200 MB Doubleword/OpenAI, 500 MB Bailian)", async () => {
    const MB = 1024 * 1024;
    expect(Object.fromEntries(["moonshot", "doubleword", "openai", "bailian"].map((m) => [m, modes[m].maxFileBytes / MB]))).toEqual({ moonshot: 100, doubleword: 200, openai: 200, bailian: 500 });
    // The same streamed byte count at a limit small enough to send: at the limit is allowed, over it is not.
    for (const name of ["moonshot", "doubleword", "openai", "bailian"]) {
      const mode = { ...modes[name], maxFileBytes: 1000 };
      const send = (bytes: number) => {
        const form = new FormData();
        form.append("purpose", "batch");
        form.append("file", new Blob([`${"x".repeat(bytes - 1)}\n`]), "in.jsonl");
        return uploadFile("team-modes", new Request("http://sandbox.test/v1/files", { method: "POST", body: form }), mode);
      };
      expect((await send(1000)).bytes, name).toBe(1000);
      const over = await send(1001).catch((e: unknown) => e);
      expect(over, name).toBeInstanceOf(SandboxError);
      expect((over as SandboxError).status).toBe(413);
    }
  });

  it("faults: a 429 with Retry-After and a 5xx on the chosen calls, omitted nulls", async () => {
    const base = `${srv.url}/api/sandbox/groq/faults=429@2,502@3,omit-nulls,retry-after=7,run=t/v1`;
    const get = () => fetch(`${base}/batches`, { headers: auth });
    expect((await get()).status).toBe(200);
    const limited = await get();
    expect(limited.status).toBe(429);
    expect(limited.headers.get("retry-after")).toBe("7");
    expect((await limited.json()).error.code).toBe("rate_limit_exceeded");
    expect((await get()).status).toBe(502);
    expect((await get()).status).toBe(200);

    const file = await (await upload("bailian", [line("a", "qwen-plus")])).json();
    const res = await fetch(`${srv.url}/api/sandbox/bailian/faults=omit-nulls/v1/batches`, {
      method: "POST",
      headers: { ...auth, "content-type": "application/json" },
      body: JSON.stringify({ input_file_id: file.id, endpoint: "/v1/chat/completions", completion_window: "24h" }),
    });
    const b = await res.json();
    expect("output_file_id" in b).toBe(false);
    expect("metadata" in b).toBe(false);
  });
});
