// The sandbox's anthropic mode over real HTTP, as Anthropic's documents describe the API: the key
// and version headers, what a create refuses, the status progression and counts, the results JSONL
// (only once ended, in any order), paging and cancel; and the official @anthropic-ai/sdk drives it.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import Anthropic from "@anthropic-ai/sdk";
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
let key = "";
let base = "";

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "sandbox-anthropic-"));
  process.env.DATA_DIR = dir;
  process.env.SANDBOX_MS_PER_REQUEST = "20";
  resetEnvForTests();
  h = await createTestDb();
  srv = await serve(handleSandboxRequest);
  key = sandboxKeyForTeam("team-anthropic");
  base = `${srv.url}/api/sandbox/anthropic`;
});

afterAll(async () => {
  await srv?.close();
  await h?.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

const req = (id: string, content = `q ${id}`, extra: Record<string, unknown> = {}) => ({
  custom_id: id,
  params: { model: "claude-test", max_tokens: 100, messages: [{ role: "user", content }], ...extra },
});

const post = (p: string, body: unknown, headers: Record<string, string> = { "x-api-key": key, "anthropic-version": "2023-06-01" }) =>
  fetch(`${base}/v1/${p}`, { method: "POST", headers: { "content-type": "application/json", ...headers }, body: JSON.stringify(body) });

// Configured as the adapter configures it: Anthropic's documented headers, not the SDK's Bearer.
const documented = () => ({ "x-api-key": key, "anthropic-version": "2023-06-01", Authorization: null });
const sdk = () => new Anthropic({ apiKey: key, baseURL: base, maxRetries: 0, defaultHeaders: documented() });

describe("sandbox anthropic mode", () => {
  it("checks the key and version headers, and answers errors in Anthropic's shape", async () => {
    const body = { requests: [req("a")] };
    const none = await post("messages/batches", body, { "anthropic-version": "2023-06-01" });
    expect(none.status).toBe(401);
    expect(await none.json()).toMatchObject({ type: "error", error: { type: "authentication_error", message: "x-api-key header is required" } });
    const wrong = await post("messages/batches", body, { "x-api-key": "sk-ant-wrong-key-000", "anthropic-version": "2023-06-01" });
    expect(wrong.status).toBe(401);
    expect(JSON.stringify(await wrong.json())).not.toContain("sk-ant-wrong-key-000");
    const noVersion = await post("messages/batches", body, { "x-api-key": key });
    expect(noVersion.status).toBe(400);
    expect((await noVersion.json()).error.message).toBe("anthropic-version: header is required");
    // What the real API refuses: the key as a Bearer token (that header takes OAuth tokens there), a version it does not know.
    const bearer = await post("messages/batches", body, { authorization: `Bearer ${key}`, "anthropic-version": "2023-06-01" });
    expect(bearer.status).toBe(401);
    expect((await bearer.json()).error.type).toBe("authentication_error");
    const unknownVersion = await post("messages/batches", body, { "x-api-key": key, "anthropic-version": "2026-10-21" });
    expect(unknownVersion.status).toBe(400);
    expect((await unknownVersion.json()).error.message).toBe('anthropic-version: "2026-10-21" is not a valid version');
    // The SDK left as it comes sends exactly those: refused.
    await expect(new Anthropic({ apiKey: key, baseURL: base, maxRetries: 0 }).messages.batches.list()).rejects.toMatchObject({ status: 401 });
    expect((await post("messages/batches", body)).status).toBe(200);
  });

  it("refuses what Anthropic refuses: bad or duplicate custom_id, no max_tokens, a system role in messages, an empty list", async () => {
    const message = async (body: unknown) => {
      const r = await post("messages/batches", body);
      expect(r.status).toBe(400);
      return (await r.json()).error.message as string;
    };
    expect(await message({ requests: [] })).toBe("requests: List should have at least 1 item");
    expect(await message({ requests: [req("a b")] })).toBe("requests.0.custom_id: String should match pattern '^[a-zA-Z0-9_-]{1,64}$'");
    expect(await message({ requests: [req("x".repeat(65))] })).toMatch(/^requests\.0\.custom_id/);
    expect(await message({ requests: [req("a"), req("a")] })).toBe("requests.1.custom_id: Duplicate custom_id 'a'");
    expect(await message({ requests: [{ custom_id: "a", params: { model: "m", messages: [{ role: "user", content: "x" }] } }] })).toMatch(/max_tokens: Field required/);
    expect(await message({ requests: [req("a", "x", { messages: [{ role: "system", content: "s" }] })] })).toBe(
      "requests.0.params.messages.0.role: Input should be 'user' or 'assistant'",
    );
  });

  it("runs a batch through the official SDK: in_progress with every request processing, then ended with counts and results in any order", async () => {
    const client = sdk();
    const requests = Array.from({ length: 12 }, (_, i) => req(`r-${i}`, i === 3 ? "[fail] please" : `question ${i}`));
    const created = await client.messages.batches.create({ requests } as Anthropic.Messages.BatchCreateParams);
    expect(created).toMatchObject({ type: "message_batch", processing_status: "in_progress", results_url: null, ended_at: null });
    expect(created.id).toMatch(/^msgbatch_/);
    expect(created.request_counts).toEqual({ processing: 12, succeeded: 0, errored: 0, canceled: 0, expired: 0 });
    expect(Date.parse(created.expires_at) - Date.parse(created.created_at)).toBe(24 * 3_600_000);
    await expect(fetch(`${base}/v1/messages/batches/${created.id}/results`, { headers: { "x-api-key": key, "anthropic-version": "2023-06-01" } }).then((r) => r.status)).resolves.toBe(404);

    let b = created;
    for (let i = 0; i < 100 && b.processing_status !== "ended"; i++) {
      await new Promise((r) => setTimeout(r, 30));
      b = await client.messages.batches.retrieve(created.id);
    }
    expect(b.processing_status).toBe("ended");
    expect(b.request_counts).toEqual({ processing: 0, succeeded: 11, errored: 1, canceled: 0, expired: 0 });
    expect(b.results_url).toBe(`${base}/v1/messages/batches/${created.id}/results`);

    const seen: Anthropic.Messages.MessageBatchIndividualResponse[] = [];
    for await (const r of await client.messages.batches.results(created.id)) seen.push(r);
    expect(seen.map((r) => r.custom_id).sort()).toEqual(requests.map((r) => r.custom_id).sort());
    expect(seen.map((r) => r.custom_id)).not.toEqual(requests.map((r) => r.custom_id)); // shuffled
    const failed = seen.find((r) => r.custom_id === "r-3")!;
    expect(failed.result).toMatchObject({ type: "errored", error: { type: "error", error: { type: "invalid_request_error" } } });
    const ok = seen.find((r) => r.custom_id === "r-0")!.result;
    expect(ok.type).toBe("succeeded");
    if (ok.type === "succeeded") {
      expect(ok.message).toMatchObject({ type: "message", role: "assistant", model: "claude-test", stop_reason: "end_turn", content: [{ type: "text", text: 'This is a test result. You said: "question 0"' }] });
    }
  });

  it("cancels (canceling, then ended with canceled requests), pages the list newest first, and refuses to cancel an ended batch", async () => {
    const client = new Anthropic({ apiKey: key, baseURL: `${base}/sandbox_ms_per_request=200`, maxRetries: 0, defaultHeaders: documented() });
    const b = await client.messages.batches.create({ requests: Array.from({ length: 20 }, (_, i) => req(`c-${i}`)) } as Anthropic.Messages.BatchCreateParams);
    const c = await client.messages.batches.cancel(b.id);
    expect(c.processing_status).toBe("canceling");
    expect(c.cancel_initiated_at).not.toBeNull();
    let now = c;
    for (let i = 0; i < 100 && now.processing_status !== "ended"; i++) {
      await new Promise((r) => setTimeout(r, 50));
      now = await client.messages.batches.retrieve(b.id);
    }
    expect(now.request_counts).toEqual({ processing: 0, succeeded: 0, errored: 0, canceled: 20, expired: 0 });
    const types = new Set<string>();
    for await (const r of await client.messages.batches.results(b.id)) types.add(r.result.type);
    expect([...types]).toEqual(["canceled"]);
    await expect(client.messages.batches.cancel(b.id)).rejects.toThrow(/has already ended and cannot be canceled/);

    const first = await client.messages.batches.list({ limit: 1 });
    expect(first.data.map((x) => x.id)).toEqual([b.id]);
    expect(first.has_more).toBe(true);
    const all: string[] = [];
    for await (const x of client.messages.batches.list({ limit: 1 })) all.push(x.id);
    expect(all.length).toBeGreaterThanOrEqual(3);
    expect(new Set(all).size).toBe(all.length);
  });
});
