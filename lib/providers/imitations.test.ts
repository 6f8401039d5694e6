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
const line = (id: string, model = "m", url = "/v1/chat/completions") =>
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
  it("doubleword: 201 on upload and create, bare UUIDs, custom_id <= 64, never expired", async () => {
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

    const long = await (await upload("doubleword", [line("x".repeat(64)), line("y".repeat(65))])).json();
    const bad = await (await create("doubleword", { input_file_id: long.id })).json();
    const failed = await until("doubleword", bad.id, (x) => x.status === "failed");
    expect((failed.errors as { data: { code: string; line: number }[] }).data).toEqual([expect.objectContaining({ code: "invalid_custom_id", line: 2 })]);

    // Out of time: "completed", the unfinished requests in the error file; never "expired".
    const late = await (await create("doubleword", { input_file_id: file.id, metadata: { sandbox_ms_per_request: "200", sandbox_expire_after_ms: "50" } })).json();
    const over = await until("doubleword", late.id, (x) => x.status !== "validating" && x.status !== "in_progress");
    expect(over.status).toBe("completed");
    expect(over.expired_at).toBeUndefined();
    expect(over.request_counts).toEqual({ total: 2, completed: 0, failed: 0 });
    const errs = await (await call("doubleword", "GET", `/files/${over.error_file_id}/content`)).text();
    expect(errs.trim().split("\n")).toHaveLength(2);
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

    const test = await (await upload("bailian", [line("t1", "batch-test-model", "/v1/chat/ds-test")])).json();
    const tb = await (await create("bailian", { input_file_id: test.id, endpoint: "/v1/chat/ds-test" })).json();
    const tdone = await until("bailian", tb.id, (x) => x.status === "completed");
    const out = JSON.parse((await (await call("bailian", "GET", `/files/${tdone.output_file_id}/content`)).text()).trim());
    expect(out.response.body.choices[0].message.content).toMatch(/^This is a test result\./);
    const tooMany = await (await upload("bailian", Array.from({ length: 101 }, (_, i) => line(`t${i}`, "batch-test-model", "/v1/chat/ds-test")))).json();
    expect((await create("bailian", { input_file_id: tooMany.id, endpoint: "/v1/chat/ds-test" })).status).toBe(400);
  });

  it("moonshot: .jsonl names only, not empty, one model per batch, windows 12h..7d", async () => {
    expect((await upload("moonshot", [line("a")], { name: "in.json" })).status).toBe(400);
    expect((await upload("moonshot", [], { name: "empty.jsonl" })).status).toBe(400);
    const file = await (await upload("moonshot", [line("a", "kimi-k2"), line("b", "moonshot-v1-8k")])).json();
    expect((await create("moonshot", { input_file_id: file.id, completion_window: "11h" })).status).toBe(400);
    expect((await create("moonshot", { input_file_id: file.id, completion_window: "8d" })).status).toBe(400);
    const b = await (await create("moonshot", { input_file_id: file.id, completion_window: "7d" })).json();
    const failed = await until("moonshot", b.id, (x) => x.status === "failed");
    expect((failed.errors as { data: { code: string }[] }).data[0].code).toBe("model_mismatch");
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
