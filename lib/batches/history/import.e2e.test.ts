// Import history over real HTTP against the sandbox in each provider's mode: batches made directly
// on the "provider" through the official openai SDK are listed (every page, or Together's plain
// array, with Bailian's filters), imported with their input as requests, synced by syncBatch until
// their results are in; a second import or a double click makes nothing twice; roles and teams hold.
import crypto from "node:crypto";
import OpenAI, { toFile } from "openai";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { encryptSecret } from "@/lib/crypto";
import { launchBatch } from "@/lib/batches/engine/launch";
import { launchBatchInput } from "@/lib/batches/schemas";
import { syncBatch } from "@/lib/batches/engine/sync";
import { sandboxKeyForTeam } from "@/lib/providers/sandbox/keys";
import type { Role } from "@/lib/generated/prisma/enums";
import { launchInput, makeFile, makeTeam, startEngine, until, type Engine } from "@/lib/batches/engine/fixtures";
import { importBatches, listProviderBatches } from "./import";
import { toCompactDate } from "./import-filters";

let e: Engine;
beforeAll(async () => {
  e = await startEngine();
});
afterAll(() => e.close());

/** A team with a connection of `kind` pointing at the sandbox in `mode`, and the SDK as the provider's own console would use it. */
async function setup(kind: string, mode: string) {
  const t = await makeTeam(e);
  const baseURL = `${e.url}/api/sandbox/${mode}/v1`;
  const apiKey = sandboxKeyForTeam(t.team.id);
  const connection = await e.h.prisma.providerConnection.create({
    data: { teamId: t.team.id, kind, name: `My ${kind}`, baseUrl: baseURL, encryptedKey: encryptSecret(apiKey), keyLast4: "test", createdById: t.user.id },
  });
  const ctx = { ...t.ctx, role: "OWNER" as Role };
  return { ...t, ctx, connection, sdk: new OpenAI({ baseURL, apiKey, maxRetries: 0 }) };
}

const purposeOf: Record<string, string> = { together: "batch-api" };

/** Creates a batch on the provider directly (not through Batchboard): `n` requests, request 2 failing. */
async function providerBatch(sdk: OpenAI, mode: string, n: number, opts: { msPerRequest?: number; name?: string; model?: string } = {}) {
  const lines = Array.from({ length: n }, (_, i) =>
    JSON.stringify({
      custom_id: `q-${i + 1}`,
      method: "POST",
      url: "/v1/chat/completions",
      body: { model: opts.model ?? "batch-test-model", messages: [{ role: "user", content: `Question ${i + 1}${i === 1 ? " [fail]" : ""}` }] },
    }),
  );
  const file = await sdk.files.create({ file: await toFile(Buffer.from(lines.join("\n") + "\n"), "history.jsonl"), purpose: (purposeOf[mode] ?? "batch") as "batch" });
  return sdk.batches.create({
    input_file_id: file.id,
    endpoint: "/v1/chat/completions",
    completion_window: "24h",
    metadata: { sandbox_ms_per_request: String(opts.msPerRequest ?? 1), ...(opts.name ? { ds_name: opts.name } : {}) },
  });
}

const syncToEnd = (batchId: string) => until(e, batchId, () => syncBatch(e.h.prisma, batchId));

describe("listing a provider's batches", () => {
  it("walks every page of a cursor list (7 batches, pages of 3) and refuses filters OpenAI does not take", async () => {
    const { ctx, connection, sdk } = await setup("openai", "openai");
    const made = [];
    for (let i = 0; i < 7; i++) made.push((await providerBatch(sdk, "openai", 2)).id);
    const before = e.calls.length;
    const list = await listProviderBatches(e.h.prisma, ctx, connection.id, {}, { pageSize: 3 });
    const lists = e.calls.slice(before).filter((c) => c.method === "GET" && c.route === "batches");
    expect(list.pages).toBe(3);
    expect(lists).toHaveLength(3);
    expect(list.truncated).toBe(false);
    expect(list.batches.map((b) => b.id).sort()).toEqual([...made].sort());
    expect(list.batches.every((b) => b.batchId === null && b.total === 2 && b.endpoint === "/v1/chat/completions")).toBe(true);

    await expect(listProviderBatches(e.h.prisma, ctx, connection.id, { ds_name: "x" })).rejects.toThrow(
      'OpenAI takes no list filters ("ds_name" was given): its whole history is listed.',
    );
  });

  it("walks past the provider's largest page: 105 batches at OpenAI's limit of 100 come in 2 pages", async () => {
    const { ctx, connection, sdk } = await setup("openai", "openai");
    const first = await providerBatch(sdk, "openai", 1);
    const made = [first.id];
    // One input file serves them all: only the creates are repeated.
    for (let i = 1; i < 105; i++) {
      made.push((await sdk.batches.create({ input_file_id: first.input_file_id, endpoint: "/v1/chat/completions", completion_window: "24h" })).id);
    }
    const list = await listProviderBatches(e.h.prisma, ctx, connection.id);
    expect(list.pages).toBe(2);
    expect(list.batches).toHaveLength(105);
    expect(new Set(list.batches.map((b) => b.id))).toEqual(new Set(made));
  });

  it("reads Together's plain array in one call, and refuses any filter there", async () => {
    const { ctx, connection, sdk } = await setup("together", "together");
    const a = await providerBatch(sdk, "together", 3);
    const b = await providerBatch(sdk, "together", 3);
    const list = await listProviderBatches(e.h.prisma, ctx, connection.id);
    expect(list.pages).toBe(1);
    expect(list.batches.map((x) => x.id).sort()).toEqual([a.id, b.id].sort());
    expect(list.batches[0].rawStatus).toMatch(/^[A-Z_]+$/);
    await expect(listProviderBatches(e.h.prisma, ctx, connection.id, { status: "completed" })).rejects.toThrow(/Together AI takes no list filters/);
  });

  it("passes Bailian's filters (ds_name, status, create_after/before, input_file_ids) and checks them first", async () => {
    const { ctx, connection, sdk } = await setup("bailian", "bailian");
    const done = await providerBatch(sdk, "bailian", 2, { name: "nightly-eval-1", model: "qwen-plus" });
    const running = await providerBatch(sdk, "bailian", 2, { name: "nightly-eval-2", msPerRequest: 600_000, model: "qwen-plus" });
    const other = await providerBatch(sdk, "bailian", 2, { name: "adhoc", model: "qwen-plus" });
    await new Promise((r) => setTimeout(r, 50));
    const ids = async (f: Record<string, string>) => (await listProviderBatches(e.h.prisma, ctx, connection.id, f)).batches.map((b) => b.id).sort();

    expect(await ids({ ds_name: "nightly" })).toEqual([done.id, running.id].sort());
    expect(await ids({ ds_name: "nightly", status: "in_progress, validating" })).toEqual([running.id]);
    expect(await ids({ status: "completed" })).toEqual([done.id, other.id].sort());
    expect(await ids({ input_file_ids: `${other.input_file_id}` })).toEqual([other.id]);
    const hourAgo = toCompactDate(new Date(Date.now() - 3_600_000));
    expect(await ids({ create_after: hourAgo, ds_name: "" })).toHaveLength(3);
    expect(await ids({ create_before: hourAgo })).toEqual([]);
    const named = (await listProviderBatches(e.h.prisma, ctx, connection.id, { ds_name: "adhoc" })).batches[0];
    expect(named).toMatchObject({ name: "adhoc", status: "COMPLETED", total: 2, completed: 1, failed: 1 });

    const refused = (f: Record<string, string>) => listProviderBatches(e.h.prisma, ctx, connection.id, f).catch((x: Error) => x.message);
    expect(await refused({ create_after: "2026-01-01" })).toMatch(/create_after must be a date as yyyyMMddHHmmss \(UTC\)/);
    expect(await refused({ create_before: toCompactDate(new Date(Date.now() - 40 * 86_400_000)) })).toMatch(/only the last 30 days/);
    expect(await refused({ status: "done" })).toMatch(/Unknown status "done"/);
    expect(await refused({ input_file_ids: Array.from({ length: 21 }, (_, i) => `f${i}`).join(",") })).toMatch(/at most 20 ids; this list has 21/);
    expect(await refused({ search: "x" })).toMatch(/does not take the filter "search"; it takes ds_name, input_file_ids, status, create_after, create_before/);
  });

  it("passes Doubleword's status filter and imports its UUID-named batches", async () => {
    const { ctx, connection, sdk } = await setup("doubleword", "doubleword");
    const done = await providerBatch(sdk, "doubleword", 2);
    const running = await providerBatch(sdk, "doubleword", 2, { msPerRequest: 600_000 });
    const list = await listProviderBatches(e.h.prisma, ctx, connection.id, { status: "completed" });
    expect(list.batches.map((b) => b.id)).toEqual([done.id]);
    expect(running.id).toMatch(/^[0-9a-f-]{36}$/);
    const [o] = await importBatches(e.h.prisma, ctx, connection.id, [done.id]);
    expect(await syncToEnd(o.batchId!)).toMatchObject({ status: "COMPLETED", resultCount: 2, failed: 1 });
  });

  it("reads a failed Doubleword batch's error_file_id (\"failed - check error_file_id\"): each problem is a failed result in the provider's words", async () => {
    const { ctx, connection, sdk } = await setup("doubleword", "doubleword");
    const lines = [
      `{"custom_id": "req-1", "method": "POST", "url": "/v1/chat/completions", "body": {"model": "anthropic/claude-3-5-sonnet", "messages": [{"role": "user", "content": "What is 2+2?"}]}}`,
      `{"custom_id": "req-é", "method": "POST", "url": "/v1/chat/completions", "body": {"model": "anthropic/claude-3-5-sonnet", "messages": [{"role": "user", "content": "What is the capital of France?"}]}}`,
    ];
    const file = await sdk.files.create({ file: await toFile(Buffer.from(`${lines.join("\n")}\n`), "batch_requests.jsonl"), purpose: "batch" });
    const failed = await sdk.batches.create({ input_file_id: file.id, endpoint: "/v1/chat/completions", completion_window: "24h" });
    const [o] = await importBatches(e.h.prisma, ctx, connection.id, [failed.id]);
    const b = await syncToEnd(o.batchId!);
    expect(b).toMatchObject({ status: "FAILED", resultCount: 1 });
    expect(b.errorFileId).toMatch(/^[0-9a-f-]{36}$/);
    const results = await e.h.prisma.result.findMany({ where: { batchId: o.batchId! } });
    expect(results.map((r) => [r.customId, r.succeeded, r.errorCode, r.errorMessage])).toEqual([["req-é", false, "invalid_custom_id", "Line 2: 'custom_id' must be plain ASCII."]]);
  });
});

describe("importing a provider's batches", () => {
  it("imports a finished and a running batch with their requests; sync ingests the results beside the prompts", async () => {
    const { ctx, team, user, connection, sdk } = await setup("openai", "openai");
    const finished = await providerBatch(sdk, "openai", 4);
    const running = await providerBatch(sdk, "openai", 3, { msPerRequest: 300 });

    const out = await importBatches(e.h.prisma, ctx, connection.id, [finished.id, running.id]);
    expect(out.map((o) => o.outcome)).toEqual(["imported", "imported"]);
    expect(out.every((o) => o.message === undefined)).toBe(true);

    const b = await e.h.prisma.batch.findUniqueOrThrow({ where: { id: out[0].batchId! }, include: { inputFile: true } });
    expect(b).toMatchObject({ teamId: team.id, connectionId: connection.id, providerBatchId: finished.id, createdById: user.id, name: `Imported ${finished.id}` });
    expect(b.importedAt).toBeInstanceOf(Date);
    expect(b.source).toBe("import");
    expect(b.nextPollAt!.getTime()).toBeLessThanOrEqual(Date.now());
    expect(b.inputFile).toMatchObject({ origin: "import", status: "valid", requestCount: 4, name: "history.jsonl" });
    const prompts = await e.h.prisma.request.findMany({ where: { fileId: b.inputFileId }, orderBy: { line: "asc" } });
    expect(prompts.map((r) => [r.customId, r.prompt])).toEqual([
      ["q-1", "Question 1"],
      ["q-2", "Question 2 [fail]"],
      ["q-3", "Question 3"],
      ["q-4", "Question 4"],
    ]);

    // The finished one ingests on its first sync.
    const first = await syncBatch(e.h.prisma, b.id);
    expect(first).toMatchObject({ status: "COMPLETED", ingested: true });
    const results = await e.h.prisma.result.findMany({ where: { batchId: b.id }, orderBy: { line: "asc" } });
    expect(results.map((r) => [r.customId, r.line, r.succeeded])).toEqual([
      ["q-1", 1, true],
      ["q-2", 2, false],
      ["q-3", 3, true],
      ["q-4", 4, true],
    ]);
    expect(results[0].content).toMatch(/^This is a test result\./);

    // The running one keeps syncing until it is over.
    const r = await e.h.prisma.batch.findUniqueOrThrow({ where: { id: out[1].batchId! } });
    expect(["VALIDATING", "IN_PROGRESS"]).toContain(r.status);
    const ended = await syncToEnd(r.id);
    expect(ended).toMatchObject({ status: "COMPLETED", total: 3, completed: 2, failed: 1, resultCount: 3 });

    // Listed again, both are marked with their batch.
    const list = await listProviderBatches(e.h.prisma, ctx, connection.id);
    expect(Object.fromEntries(list.batches.map((x) => [x.id, x.batchId]))).toEqual({ [finished.id]: b.id, [running.id]: r.id });
  });

  it("never makes two rows: importing twice, or twice at once, answers the same batch", async () => {
    const { ctx, team, connection, sdk } = await setup("openai", "openai");
    const one = await providerBatch(sdk, "openai", 3);
    const two = await providerBatch(sdk, "openai", 3);
    // A double click: two imports of the same batches at the same time.
    const [a, b] = await Promise.all([
      importBatches(e.h.prisma, ctx, connection.id, [one.id, two.id]),
      importBatches(e.h.prisma, ctx, connection.id, [one.id, two.id, one.id]),
    ]);
    expect(await e.h.prisma.batch.count({ where: { teamId: team.id } })).toBe(2);
    for (const id of [one.id, two.id]) {
      const outcomes = [...a, ...b].filter((o) => o.providerBatchId === id);
      expect(outcomes).toHaveLength(2);
      expect(outcomes.filter((o) => o.outcome === "imported")).toHaveLength(1);
      expect(new Set(outcomes.map((o) => o.batchId)).size).toBe(1);
    }
    // The loser's input file is not left behind.
    expect(await e.h.prisma.inputFile.count({ where: { teamId: team.id, origin: "import" } })).toBe(2);

    const again = await importBatches(e.h.prisma, ctx, connection.id, [one.id]);
    expect(again).toEqual([{ providerBatchId: one.id, outcome: "already", batchId: a[0].batchId }]);
    expect(await e.h.prisma.batch.count({ where: { teamId: team.id } })).toBe(2);
  });

  it("treats a batch launched from Batchboard as already there (by provider id, or by its metadata while launching)", async () => {
    const { ctx, team, connection } = await setup("openai", "openai");
    const file = await makeFile(e, team.id, 2);
    const { batchId } = await launchBatch(launchBatchInput.parse(launchInput(connection.id, file.id)), ctx);
    const launched = await e.h.prisma.batch.findUniqueOrThrow({ where: { id: batchId } });
    const list = await listProviderBatches(e.h.prisma, ctx, connection.id);
    expect(list.batches).toEqual([expect.objectContaining({ id: launched.providerBatchId, batchId })]);
    expect(await importBatches(e.h.prisma, ctx, connection.id, [launched.providerBatchId!])).toEqual([
      { providerBatchId: launched.providerBatchId, outcome: "already", batchId },
    ]);
    // As if the launch had not recorded the provider's id yet: the metadata still ties them.
    await e.h.prisma.batch.update({ where: { id: batchId }, data: { providerBatchId: null } });
    expect((await importBatches(e.h.prisma, ctx, connection.id, [launched.providerBatchId!]))[0]).toMatchObject({ outcome: "already", batchId });
    expect(await e.h.prisma.batch.count({ where: { teamId: team.id } })).toBe(1);
  });

  it("imports Together's batches (upper-case statuses, progress) and Bailian's name, and syncs them to their results", async () => {
    const t = await setup("together", "together");
    const tb = await providerBatch(t.sdk, "together", 3);
    const [to] = await importBatches(e.h.prisma, t.ctx, t.connection.id, [tb.id]);
    expect(to.outcome).toBe("imported");
    expect(await syncToEnd(to.batchId!)).toMatchObject({ status: "COMPLETED", rawStatus: "COMPLETED", resultCount: 3 });

    const bl = await setup("bailian", "bailian");
    const bb = await providerBatch(bl.sdk, "bailian", 2, { name: "nightly-eval", model: "qwen-plus" });
    const [bo] = await importBatches(e.h.prisma, bl.ctx, bl.connection.id, [bb.id]);
    // Bailian serves only output and error files: the import says the prompts are not there, and asks for no input.
    expect(bo.message).toMatch(/^Imported without its requests: Alibaba Bailian lets only a batch's output and error files be downloaded.*the prompts are not shown\.$/);
    const row = await syncToEnd(bo.batchId!);
    expect(row).toMatchObject({ name: "nightly-eval", status: "COMPLETED", resultCount: 2 });
  });

  it("still imports a batch whose input file is gone, with an empty input, and says so", async () => {
    const { ctx, connection, sdk } = await setup("openai", "openai");
    const gone = await providerBatch(sdk, "openai", 3);
    await sdk.files.delete(gone.input_file_id);
    const [o] = await importBatches(e.h.prisma, ctx, connection.id, [gone.id]);
    expect(o.outcome).toBe("imported");
    expect(o.message).toMatch(new RegExp(`Imported without its requests: the provider no longer has its input file ${gone.input_file_id}`));
    const b = await e.h.prisma.batch.findUniqueOrThrow({ where: { id: o.batchId! }, include: { inputFile: true } });
    expect(b.inputFile).toMatchObject({ origin: "import", requestCount: 0, status: "invalid", problemCount: 1 });
    const ended = await syncToEnd(b.id);
    expect(ended).toMatchObject({ status: "COMPLETED", resultCount: 3 });
    expect((await e.h.prisma.result.findMany({ where: { batchId: b.id } })).every((r) => r.line === null)).toBe(true);
  });

  it("answers a provider batch that does not exist as failed, and imports the others", async () => {
    const { ctx, connection, sdk } = await setup("openai", "openai");
    const real = await providerBatch(sdk, "openai", 1);
    const out = await importBatches(e.h.prisma, ctx, connection.id, ["batch_nope", real.id]);
    expect(out[0]).toMatchObject({ outcome: "failed", message: "My openai has no batch batch_nope." });
    expect(out[1].outcome).toBe("imported");
  });

  it("lets a member import, not a viewer; another team's connection is not found", async () => {
    const { ctx, connection, sdk } = await setup("openai", "openai");
    const pb = await providerBatch(sdk, "openai", 1);
    const viewer = { ...ctx, role: "VIEWER" as Role };
    await expect(importBatches(e.h.prisma, viewer, connection.id, [pb.id])).rejects.toThrow(/needs member or above/);
    await expect(listProviderBatches(e.h.prisma, viewer, connection.id)).rejects.toThrow(/needs member or above/);
    expect((await importBatches(e.h.prisma, { ...ctx, role: "MEMBER" }, connection.id, [pb.id]))[0].outcome).toBe("imported");

    const stranger = await makeTeam(e);
    const sctx = { ...stranger.ctx, role: "OWNER" as Role };
    await expect(importBatches(e.h.prisma, sctx, connection.id, [pb.id])).rejects.toThrow("That connection was not found.");
    await expect(listProviderBatches(e.h.prisma, sctx, connection.id)).rejects.toThrow("That connection was not found.");
    expect(await e.h.prisma.batch.count({ where: { teamId: stranger.team.id } })).toBe(0);
  });

  it("refuses an empty choice and too many batches at once", async () => {
    const { ctx, connection } = await setup("openai", "openai");
    await expect(importBatches(e.h.prisma, ctx, connection.id, [])).rejects.toThrow("Choose at least one batch to import.");
    const many = Array.from({ length: 51 }, () => `batch_${crypto.randomUUID()}`);
    await expect(importBatches(e.h.prisma, ctx, connection.id, many)).rejects.toThrow("Import at most 50 batches at a time; 51 were chosen.");
  });
});
