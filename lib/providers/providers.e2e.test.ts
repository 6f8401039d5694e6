// Every provider profile end to end over real HTTP: a stored file is launched through launch.ts on a
// connection of that kind whose base URL points at the sandbox in that provider's mode, synced to
// its end through syncBatch, and its results ingested. Then the same with faults injected (429 with
// Retry-After, 5xx, null fields left out): the launch and the sync survive them.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { encryptSecret } from "@/lib/crypto";
import { launchBatch } from "@/lib/batches/engine/launch";
import { launchBatchInput } from "@/lib/batches/schemas";
import type { SyncOutcome } from "@/lib/batches/engine/lease";
import { syncBatch } from "@/lib/batches/engine/sync";
import { launchInput, makeFile, makeTeam, startEngine, until, type Engine } from "@/lib/batches/engine/fixtures";
import { sandboxKeyForTeam } from "@/lib/providers/sandbox/keys";
import { profileOf } from "./profiles";
import { probeProvider } from "./connections";
import { handleUpload } from "@/lib/files/upload";

let e: Engine;
beforeAll(async () => {
  e = await startEngine();
});
afterAll(() => e.close());

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** A team with a connection of `kind` pointing at the sandbox in `mode` (with an optional fault segment). */
async function setup(kind: string, mode: string | null, faults?: string) {
  const t = await makeTeam(e);
  const base = [e.url, "api", "sandbox", mode, faults, "v1"].filter(Boolean).join("/");
  const connection = await e.h.prisma.providerConnection.create({
    data: {
      teamId: t.team.id,
      kind,
      name: `${kind} ${faults ?? ""}`.trim(),
      baseUrl: base,
      encryptedKey: encryptSecret(sandboxKeyForTeam(t.team.id)),
      keyLast4: "test",
      createdById: t.user.id,
    },
  });
  return { ...t, connection };
}

async function runToEnd(batchId: string) {
  const outcomes: SyncOutcome[] = [];
  const b = await until(e, batchId, async () => outcomes.push(await syncBatch(e.h.prisma, batchId)));
  return { b, outcomes };
}

interface Case {
  kind: string;
  mode: string | null;
  window: string;
  endpoint?: string;
  model?: string;
  batchId: RegExp;
  fileId: RegExp;
  rawStatus: string;
  purpose: string;
}

const cases: Case[] = [
  { kind: "sandbox", mode: null, window: "1h", batchId: /^batch_/, fileId: /^file-/, rawStatus: "completed", purpose: "batch" },
  { kind: "openai", mode: "openai", window: "24h", batchId: /^batch_/, fileId: /^file-/, rawStatus: "completed", purpose: "batch" },
  { kind: "openai-compatible", mode: "openai", window: "24h", batchId: /^batch_/, fileId: /^file-/, rawStatus: "completed", purpose: "batch" },
  { kind: "doubleword", mode: "doubleword", window: "1h", batchId: UUID, fileId: UUID, rawStatus: "completed", purpose: "batch" },
  { kind: "moonshot", mode: "moonshot", window: "12h", batchId: /^batch_/, fileId: /^file-/, rawStatus: "completed", purpose: "batch" },
  { kind: "bailian", mode: "bailian", window: "14d", model: "qwen-plus", batchId: /^batch_/, fileId: /^file-batch-/, rawStatus: "completed", purpose: "batch" },
  {
    kind: "bailian",
    mode: "bailian",
    window: "48h",
    endpoint: "/v1/chat/ds-test",
    model: "batch-test-model",
    batchId: /^batch_/,
    fileId: /^file-batch-/,
    rawStatus: "completed",
    purpose: "batch",
  },
  { kind: "groq", mode: "groq", window: "7d", batchId: /^batch_/, fileId: /^file_/, rawStatus: "completed", purpose: "batch" },
  { kind: "together", mode: "together", window: "24h", batchId: UUID, fileId: UUID, rawStatus: "COMPLETED", purpose: "batch-api" },
];

describe("each provider profile, end to end against the sandbox in its mode", () => {
  for (const c of cases) {
    it(`${c.kind}${c.endpoint ? ` (${c.endpoint})` : ""}: launch, sync to the end, ingest every result`, async () => {
      const { ctx, team, connection } = await setup(c.kind, c.mode);
      const file = await makeFile(e, team.id, 8, { failing: [5], models: c.model ? [c.model] : undefined });
      if (c.endpoint) await e.h.prisma.inputFile.update({ where: { id: file.id }, data: { endpoint: c.endpoint } });
      const input = launchBatchInput.parse(
        launchInput(connection.id, file.id, { completionWindow: c.window, endpoint: c.endpoint ?? "/v1/chat/completions", description: "End to end" }),
      );
      const { batchId } = await launchBatch(input, ctx);
      const launched = await e.h.prisma.batch.findUniqueOrThrow({ where: { id: batchId } });
      expect(launched.providerBatchId).toMatch(c.batchId);
      expect(launched.providerInputFileId).toMatch(c.fileId);

      // What the provider received: the profile's purpose, and the name under the profile's key.
      const sent = await e.h.prisma.sandboxFile.findUniqueOrThrow({ where: { id: launched.providerInputFileId! } });
      expect(sent.purpose).toBe(c.purpose);
      expect(sent.filename).toMatch(/\.jsonl$/);
      const remote = await e.h.prisma.sandboxBatch.findUniqueOrThrow({ where: { id: launched.providerBatchId! } });
      const p = profileOf(c.kind);
      expect(remote.mode).toBe(c.mode ?? "openai");
      expect(remote.completionWindow).toBe(c.window);
      expect(remote.metadata).toMatchObject({ [p.metadata.nameKey]: "Test batch", [p.metadata.descriptionKey]: "End to end", batchboard_batch_id: batchId });

      const { b } = await runToEnd(batchId);
      expect(b.status).toBe("COMPLETED");
      expect(b.rawStatus).toBe(c.rawStatus);
      expect(b.resultCount).toBe(8);
      expect(b.lastSyncError).toBeNull();
      if (c.kind !== "together") expect(b).toMatchObject({ total: 8, completed: 7, failed: 1 });
      else expect(b.completed).toBe(8); // Together reports a percentage, not counts
      const results = await e.h.prisma.result.findMany({ where: { batchId }, orderBy: { customId: "asc" } });
      expect(results.map((r) => r.customId)).toEqual(Array.from({ length: 8 }, (_, i) => `req-${String(i + 1).padStart(4, "0")}`));
      expect(results.filter((r) => !r.succeeded).map((r) => r.customId)).toEqual(["req-0006"]);
      expect(results.find((r) => r.succeeded)?.content).toMatch(/^This is a test result\./);
    });
  }

  it("Together's list is a plain array: an interrupted launch is still found and adopted", async () => {
    const { ctx, team, connection } = await setup("together", "together");
    const file = await makeFile(e, team.id, 3);
    const { batchId } = await launchBatch(launchBatchInput.parse(launchInput(connection.id, file.id)), ctx);
    const providerBatchId = (await e.h.prisma.batch.findUniqueOrThrow({ where: { id: batchId } })).providerBatchId;
    // As if the launch died before recording the provider batch.
    await e.h.prisma.batch.update({ where: { id: batchId }, data: { providerBatchId: null } });
    const { b } = await runToEnd(batchId);
    expect(b.providerBatchId).toBe(providerBatchId);
    expect(b.resultCount).toBe(3);
  });

  it("survives a 429 with Retry-After and a 503 while launching, and a 429 and a 500 while syncing", async () => {
    // Calls: 1 upload, 2 create -> 429 (the connection then waits 1 s: the list that would look for
    // the batch is held back, not sent), 3 create -> 503, 4 list (is it there?), 5 create,
    // then polls: 6, 7 -> 429 (the polls of the next second are held back), 8, 9 -> 500, ...
    const { ctx, team, connection } = await setup("doubleword", "doubleword", "faults=429@2@7,503@3,500@9,retry-after=1,run=a");
    const file = await makeFile(e, team.id, 6, { failing: [0] });
    const started = Date.now();
    const { batchId } = await launchBatch(launchBatchInput.parse(launchInput(connection.id, file.id, { metadata: { sandbox_ms_per_request: "150" } })), ctx);
    expect(Date.now() - started).toBeGreaterThanOrEqual(1000); // Retry-After: 1 was honoured
    expect(await e.h.prisma.sandboxBatch.count({ where: { teamId: team.id } })).toBe(1); // one provider batch, not two

    const { b, outcomes } = await runToEnd(batchId);
    const errors = outcomes.map((o) => o.error).filter((x): x is string => Boolean(x));
    expect(errors.filter((x) => !/holding back calls/.test(x))).toEqual([expect.stringMatching(/^HTTP 429/), expect.stringMatching(/^HTTP 500/)]);
    // After the 429 the connection waited: polls in that second were held back without a call.
    expect(errors.some((x) => /holding back calls to .* the provider answered 429/.test(x))).toBe(true);
    expect(b).toMatchObject({ status: "COMPLETED", completed: 5, failed: 1, resultCount: 6, lastSyncError: null });
  });

  it("tolerates answers without null fields (omit-nulls) and with explicit nulls (Bailian)", async () => {
    for (const [kind, mode, faults, model] of [["openai", "openai", "faults=omit-nulls", "gpt-4o-mini"], ["bailian", "bailian", undefined, "qwen-plus"]] as const) {
      const { ctx, team, connection } = await setup(kind, mode, faults);
      const file = await makeFile(e, team.id, 4, { models: [model] });
      const { batchId } = await launchBatch(launchBatchInput.parse(launchInput(connection.id, file.id)), ctx);
      const { b } = await runToEnd(batchId);
      expect(b).toMatchObject({ status: "COMPLETED", completed: 4, failed: 0, resultCount: 4 });
      expect(b.expiresAt).not.toBeNull();
    }
  });

  it("names a model the key cannot use at launch (GET /models), before anything is sent: a Moonshot batch with model m1", async () => {
    const { ctx, team, connection } = await setup("moonshot", "moonshot");
    const file = await makeFile(e, team.id, 3, { models: ["m1"] });
    const before = e.calls.filter((c) => c.method === "POST").length;
    await expect(launchBatch(launchBatchInput.parse(launchInput(connection.id, file.id)), ctx)).rejects.toThrow(
      /cannot use the model "m1": it is not among the models its key may use \(Moonshot \(Kimi\) lists them at \/models\)\. Nothing was sent/,
    );
    expect(e.calls.filter((c) => c.method === "POST").length).toBe(before);
    expect(await e.h.prisma.batch.count({ where: { inputFileId: file.id } })).toBe(0);
    // A model it lists goes through, and the batch completes.
    const ok = await makeFile(e, team.id, 2, { models: ["moonshot-v1-8k"] });
    const { batchId } = await launchBatch(launchBatchInput.parse(launchInput(connection.id, ok.id)), ctx);
    expect((await runToEnd(batchId)).b).toMatchObject({ status: "COMPLETED", completed: 2 });
  });

  it("names a model the key cannot use at upload too, when a Moonshot connection is chosen: a warning at its first line", async () => {
    const { team, user, connection } = await setup("moonshot", "moonshot");
    const line = (id: string, model: string) => JSON.stringify({ custom_id: id, method: "POST", url: "/v1/chat/completions", body: { model, messages: [{ role: "user", content: "hi" }] } });
    const boundary = "----bbModelCheck";
    const body = [
      `--${boundary}\r\nContent-Disposition: form-data; name="endpoint"\r\n\r\n/v1/chat/completions\r\n`,
      `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="m1.jsonl"\r\nContent-Type: application/jsonl\r\n\r\n${line("a", "m1")}\n${line("b", "m1")}\n\r\n`,
      `--${boundary}--\r\n`,
    ].join("");
    const res = await handleUpload(
      new Request(`http://local/api/uploads?connection=${connection.id}`, { method: "POST", headers: { "content-type": `multipart/form-data; boundary=${boundary}` }, body }),
      { teamId: team.id, userId: user.id },
    );
    const done = (await res.text()).trim().split("\n").map((l) => JSON.parse(l)).find((x) => x.type === "done").file;
    expect(done).toMatchObject({ status: "valid", warningCount: 1 });
    expect(done.warnings).toEqual([
      { line: 1, field: "body.model", message: 'moonshot cannot use the model "m1": it is not among the models its key may use (Moonshot (Kimi) lists them at /models). A launch there will be refused.' },
    ]);
    expect((await e.h.prisma.inputFile.findUniqueOrThrow({ where: { id: done.id } })).warningCount).toBe(1);
  });

  it("sends Moonshot's documented create body {input_file_id, completion_window}: no endpoint", async () => {
    const { ctx, team, connection } = await setup("moonshot", "moonshot");
    const file = await makeFile(e, team.id, 2, { models: ["moonshot-v1-8k"] });
    const bodies: Record<string, unknown>[] = [];
    e.intercept.fn = async (req, route) => {
      if (req.method === "POST" && route === "batches") bodies.push(await req.clone().json());
      return undefined;
    };
    try {
      const { batchId } = await launchBatch(launchBatchInput.parse(launchInput(connection.id, file.id)), ctx);
      expect(bodies).toHaveLength(1);
      expect(Object.keys(bodies[0]).sort()).toEqual(["completion_window", "input_file_id", "metadata"]);
      expect((await runToEnd(batchId)).b).toMatchObject({ status: "COMPLETED", completed: 2, endpoint: "/v1/chat/completions" });
    } finally {
      e.intercept.fn = undefined;
    }
  });

  it("shows DashScope's own words from an error body without an `error` key ({code, message}) on a test, a launch and a sync, never \"(no body)\"", async () => {
    const { ctx, team, connection } = await setup("bailian", "bailian");
    const dashscope = (status: number, code: string, message: string) =>
      Response.json({ request_id: "a2b1ae25-21f4-4d9a-8634-99a29926486c", code, message }, { status });
    let answer: ((route: string, method: string) => Response | undefined) | undefined;
    e.intercept.fn = async (req, route) => answer?.(route, req.method);
    try {
      answer = (route) => (route === "models" ? dashscope(401, "InvalidApiKey", "Invalid API-key provided.") : undefined);
      const probe = await probeProvider("bailian", connection.baseUrl, "sk-wrong-key-123456");
      expect(probe.message).toBe("The provider refused the key (HTTP 401): Invalid API-key provided.");

      answer = (route, method) => (method === "POST" && route === "batches" ? dashscope(400, "InvalidParameter", "The input file contains an invalid model for this endpoint.") : undefined);
      const file = await makeFile(e, team.id, 2, { models: ["qwen-plus"] });
      const refused = await launchBatch(launchBatchInput.parse(launchInput(connection.id, file.id)), ctx).catch((x: Error) => x.message);
      expect(refused).toContain("HTTP 400): The input file contains an invalid model for this endpoint.");
      expect(refused).not.toMatch(/no body/);

      answer = undefined;
      const ok = await makeFile(e, team.id, 2, { models: ["qwen-plus"] });
      const { batchId } = await launchBatch(launchBatchInput.parse(launchInput(connection.id, ok.id)), ctx);
      answer = (route, method) => (method === "GET" && route.startsWith("batches/") ? dashscope(500, "InternalError", "An internal error has occured, please try again later.") : undefined);
      const sync = await syncBatch(e.h.prisma, batchId);
      expect(sync.error).toContain("HTTP 500: An internal error has occured, please try again later.");
      const row = await e.h.prisma.batch.findUniqueOrThrow({ where: { id: batchId } });
      expect(row.lastSyncError).toContain("An internal error has occured, please try again later.");
    } finally {
      e.intercept.fn = undefined;
    }
  });

  it("refuses, before sending anything, what the profile's provider would refuse", async () => {
    const posts = () => e.calls.filter((c) => c.method === "POST").length;
    const go = async (kind: string, mode: string, extra: Record<string, unknown>, opts: Parameters<typeof makeFile>[3] = {}) => {
      const { ctx, team, connection } = await setup(kind, mode);
      const file = await makeFile(e, team.id, 3, opts);
      return launchBatch(launchBatchInput.parse(launchInput(connection.id, file.id, extra)), ctx).catch((x: Error) => x.message);
    };
    const before = posts();
    expect(await go("bailian", "bailian", { completionWindow: "337h" })).toMatch(/does not accept the completion window 337h; it accepts 24h to 336h/);
    expect(await go("bailian", "bailian", { name: "n".repeat(101) })).toMatch(/ds_name\) to 100 characters; this one has 101/);
    expect(await go("moonshot", "moonshot", {}, { models: ["a", "b"] })).toMatch(/one model per batch; this file uses 2 \(a, b\)/);
    expect(await go("together", "together", { completionWindow: "48h" })).toMatch(/it accepts 24h\./);
    expect(await go("groq", "groq", { endpoint: "/v1/embeddings" })).toMatch(/requests are for \/v1\/chat\/completions/);

    // custom_id over Doubleword's 64 characters: found while the provider file is built, with its line.
    const { ctx, team, connection } = await setup("doubleword", "doubleword");
    const file = await makeFile(e, team.id, 3);
    await e.h.prisma.request.updateMany({ where: { fileId: file.id, line: 2 }, data: { customId: "x".repeat(65) } });
    const msg = await launchBatch(launchBatchInput.parse(launchInput(connection.id, file.id)), ctx).catch((x: Error) => x.message);
    expect(msg).toBe("Line 2: custom_id is 65 characters, over Doubleword's limit of 64.");
    expect(posts()).toBe(before);
    expect(await e.h.prisma.batch.count({ where: { teamId: team.id } })).toBe(0);
  });
});
