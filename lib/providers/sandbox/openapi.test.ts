// The sandbox's answers checked against OpenAI's own OpenAPI document (an authority this project
// did not write), in every state a batch goes through.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DbHandle } from "@/lib/db/client";
import { resetEnvForTests } from "@/lib/env";
import { createTestDb } from "@/lib/test/db";
import { serve } from "@/lib/test/http";
import { expectSchema, specAccepts } from "@/lib/test/openapi";
import { sandboxKeyForTeam } from "./keys";
import { handleSandboxRequest } from "./server";

let h: DbHandle;
let srv: { url: string; close(): Promise<void> };
let dir: string;
const auth = { authorization: `Bearer ${"" /* set in beforeAll */}` };

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "sandbox-spec-"));
  process.env.DATA_DIR = dir;
  resetEnvForTests();
  h = await createTestDb();
  srv = await serve(handleSandboxRequest);
  auth.authorization = `Bearer ${sandboxKeyForTeam("team-spec")}`;
});

afterAll(async () => {
  await srv?.close();
  await h?.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

const expectValid = expectSchema;

async function call(method: string, p: string, body?: unknown) {
  const res = await fetch(`${srv.url}/v1${p}`, {
    method,
    headers: { ...auth, ...(body ? { "content-type": "application/json" } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  return { status: res.status, json: await res.json() };
}

async function upload(lines: string[]) {
  const form = new FormData();
  form.append("purpose", "batch");
  form.append("file", new Blob([lines.join("\n") + "\n"]), "spec.jsonl");
  const res = await fetch(`${srv.url}/v1/files`, { method: "POST", headers: auth, body: form });
  expect(res.status).toBe(200);
  return res.json();
}

const line = (i: number) =>
  JSON.stringify({
    custom_id: `s${i}`,
    method: "POST",
    url: "/v1/chat/completions",
    body: { model: "batch-test-model", messages: [{ role: "user", content: `q${i}` }] },
  });

/** Polls a batch and keeps the first object seen in each status, until `stop` is seen. */
async function watch(id: string, stop: string, seen: Map<string, unknown>) {
  for (let i = 0; i < 1000; i++) {
    const { json } = await call("GET", `/batches/${id}`);
    if (!seen.has(json.status)) seen.set(json.status, json);
    if (json.status === stop) return json;
    await new Promise((r) => setTimeout(r, 15));
  }
  throw new Error(`batch ${id} never reached ${stop}`);
}

describe("sandbox answers match OpenAI's OpenAPI schemas", () => {
  it("files and file lists", async () => {
    const empty = await call("GET", "/files");
    expect(empty.json).toMatchObject({ object: "list", data: [], has_more: false });

    const file = await upload([line(0)]);
    expectValid("OpenAIFile", file);
    expectValid("OpenAIFile", (await call("GET", `/files/${file.id}`)).json);
    const list = await call("GET", "/files?limit=1");
    expectValid("ListFilesResponse", list.json);
    const del = await call("DELETE", `/files/${file.id}`);
    expectValid("DeleteFileResponse", del.json);
  });

  it("batches in every state, and batch lists", async () => {
    const seen = new Map<string, unknown>();
    const file = await upload(Array.from({ length: 8 }, (_, i) => line(i)));
    const created = await call("POST", "/batches", {
      input_file_id: file.id,
      endpoint: "/v1/chat/completions",
      completion_window: "24h",
      // Slow enough (1 s validating, 1.6 s running, 1 s finalizing) to see each state on a busy machine.
      metadata: { sandbox_ms_per_request: "200", sandbox_fail_every: "3" },
    });
    expect(created.status).toBe(200);
    seen.set(created.json.status, created.json);
    await watch(created.json.id, "completed", seen);

    const slow = await call("POST", "/batches", {
      input_file_id: file.id,
      endpoint: "/v1/chat/completions",
      completion_window: "24h",
      metadata: { sandbox_ms_per_request: "200" },
    });
    await watch(slow.json.id, "in_progress", seen);
    await new Promise((r) => setTimeout(r, 150));
    const cancel = await call("POST", `/batches/${slow.json.id}/cancel`);
    seen.set(cancel.json.status, cancel.json);
    await watch(slow.json.id, "cancelled", seen);

    const expiring = await call("POST", "/batches", {
      input_file_id: file.id,
      endpoint: "/v1/chat/completions",
      completion_window: "24h",
      metadata: { sandbox_ms_per_request: "60", sandbox_expire_after_ms: "400" },
    });
    await watch(expiring.json.id, "expired", seen);

    const bad = await upload(["{not json", line(1)]);
    const failing = await call("POST", "/batches", { input_file_id: bad.id, endpoint: "/v1/chat/completions", completion_window: "24h" });
    await watch(failing.json.id, "failed", seen);

    const states = ["validating", "in_progress", "finalizing", "completed", "cancelling", "cancelled", "expired", "failed"];
    expect([...seen.keys()].sort()).toEqual([...states].sort());
    for (const s of states) expectValid("Batch", seen.get(s));
    // The check has teeth: a null where the spec wants a string is refused.
    expect(specAccepts("Batch", { ...(seen.get("validating") as object), output_file_id: null })).toBe(false);

    const page = await call("GET", "/batches?limit=2");
    expect(page.json.has_more).toBe(true);
    expectValid("ListBatchesResponse", page.json);
    const next = await call("GET", `/batches?limit=100&after=${page.json.last_id}`);
    expectValid("ListBatchesResponse", next.json);
    expect(next.json.data).toHaveLength(2);
  });

  it("errors in OpenAI's shape", async () => {
    const res = await call("GET", "/batches/batch_nope");
    expect(res.status).toBe(404);
    expect(Object.keys(res.json.error).sort()).toEqual(["code", "message", "param", "type"]);
    expectValid("ErrorResponse", res.json);
  });
});
