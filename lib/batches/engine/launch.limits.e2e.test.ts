// Launch with a custom connection's own limits, and Bailian's free dry run, over real HTTP against
// the sandbox (openai mode for the custom connection, bailian mode for the dry run).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { encryptSecret } from "@/lib/crypto";
import { sandboxKeyForTeam } from "@/lib/providers/sandbox/keys";
import { blobText } from "@/lib/providers/sandbox/blobs";
import type { Prisma } from "@/lib/generated/prisma/client";
import { launchBatch } from "./launch";
import { launchBatchInput } from "@/lib/batches/schemas";
import { syncBatch } from "./sync";
import { bailianProfile } from "@/lib/providers/bailian/profile";
import { checkUnfinished } from "./checks";
import { launchInput, makeFile, makeTeam, startEngine, until, type Engine } from "./fixtures";

let e: Engine;
beforeAll(async () => {
  e = await startEngine();
});
afterAll(() => e.close());

async function setup(kind: string, mode: string, limits?: Prisma.InputJsonValue) {
  const t = await makeTeam(e);
  const connection = await e.h.prisma.providerConnection.create({
    data: {
      teamId: t.team.id,
      kind,
      name: kind === "bailian" ? "Qwen" : "Acme",
      baseUrl: `${e.url}/api/sandbox/${mode}/v1`,
      encryptedKey: encryptSecret(sandboxKeyForTeam(t.team.id)),
      keyLast4: "test",
      createdById: t.user.id,
      limits,
    },
  });
  return { ...t, connection };
}

const launch = (ctx: { user: { id: string }; team: { id: string } }, connectionId: string, fileId: string, extra: Record<string, unknown> = {}) =>
  launchBatch(launchBatchInput.parse(launchInput(connectionId, fileId, { metadata: { sandbox_ms_per_request: "5" }, ...extra })), ctx);

const sentBatches = () => e.calls.filter((c) => c.method === "POST" && c.route === "batches").length;

describe("launch on a custom connection with edited limits", () => {
  it("launches a file at the edited max requests", async () => {
    const { ctx, team, connection } = await setup("openai-compatible", "openai", { maxRequests: 5 });
    const file = await makeFile(e, team.id, 5);
    const { batchId, created } = await launch(ctx, connection.id, file.id);
    expect(created).toBe(true);
    const b = await e.h.prisma.batch.findUniqueOrThrow({ where: { id: batchId } });
    expect(b.providerBatchId).toMatch(/^batch_/);
    expect(b.dryRun).toBe(false);
  });

  it("refuses one request over it, naming the connection and the limit, before sending anything", async () => {
    const { ctx, team, connection } = await setup("openai-compatible", "openai", { maxRequests: 5 });
    const file = await makeFile(e, team.id, 6);
    const before = e.calls.length;
    await expect(launch(ctx, connection.id, file.id)).rejects.toThrow("The file has 6 requests, over Acme's limit of 5 per batch.");
    expect(e.calls.length).toBe(before);
    expect(await e.h.prisma.batch.count({ where: { teamId: team.id } })).toBe(0);
  });

  it("refuses a window beyond the edited bounds, and lines over the edited custom_id length", async () => {
    const { ctx, team, connection } = await setup("openai-compatible", "openai", { windowMaxHours: 12, maxCustomIdLength: 7 });
    const file = await makeFile(e, team.id, 3);
    await expect(launch(ctx, connection.id, file.id, { completionWindow: "24h" })).rejects.toThrow(
      "Acme does not accept the completion window 24h; it accepts 1h to 12h, in whole hours or days, e.g. 48h or 2d.",
    );
    // custom_ids are "req-0001": 8 characters.
    const sent = sentBatches();
    await expect(launch(ctx, connection.id, file.id, { completionWindow: "12h" })).rejects.toThrow(
      "Acme cannot take this file: 3 lines break its limits (lines 1, 2, 3). Line 1: custom_id is 8 characters, over Acme's limit of 7.",
    );
    expect(sentBatches()).toBe(sent);
    expect(await e.h.prisma.batch.count({ where: { teamId: team.id } })).toBe(0);
  });
});

describe("Bailian's dry run", () => {
  it("sends the first 100 requests rewritten to batch-test-model on /v1/chat/ds-test, and completes with test answers", async () => {
    const { ctx, team, connection } = await setup("bailian", "bailian");
    const file = await makeFile(e, team.id, 150, { models: ["qwen-plus"] });
    const input = launchBatchInput.parse(launchInput(connection.id, file.id, { dryRun: true, metadata: { sandbox_ms_per_request: "2" } }));
    const { batchId, created } = await launchBatch(input, ctx);
    expect(created).toBe(true);
    // The same form again (double click): the same batch, nothing new sent.
    const sent = sentBatches();
    expect(await launchBatch(input, ctx)).toEqual({ batchId, created: false });
    expect(sentBatches()).toBe(sent);

    const b = await e.h.prisma.batch.findUniqueOrThrow({ where: { id: batchId } });
    expect(b).toMatchObject({ dryRun: true, endpoint: "/v1/chat/ds-test", total: 100 });
    const remote = await e.h.prisma.sandboxBatch.findUniqueOrThrow({ where: { id: b.providerBatchId! } });
    expect(remote.endpoint).toBe("/v1/chat/ds-test");
    const providerFile = await e.h.prisma.sandboxFile.findUniqueOrThrow({ where: { id: b.providerInputFileId! } });
    const lines = (await blobText(e.h.prisma, providerFile.id)).trim().split("\n").map((l) => JSON.parse(l));
    expect(lines).toHaveLength(100);
    expect(lines.every((l) => l.url === "/v1/chat/ds-test" && l.body.model === "batch-test-model")).toBe(true);
    expect(lines[0]).toMatchObject({ custom_id: "req-0001", body: { messages: [{ role: "user", content: "Question number 1" }], max_tokens: 50 } });
    expect(lines[99].custom_id).toBe("req-0100");

    const done = await until(e, batchId, () => syncBatch(e.h.prisma, batchId));
    expect(done).toMatchObject({ status: "COMPLETED", total: 100, completed: 100, failed: 0, resultCount: 100, dryRun: true });
    const results = await e.h.prisma.result.findMany({ where: { batchId }, select: { content: true, model: true } });
    expect(results).toHaveLength(100);
    expect(results.every((r) => r.content?.startsWith("This is a test result."))).toBe(true);
    expect(results[0].model).toBe("batch-test-model");
    // The stored file is untouched: still 150 requests on qwen-plus.
    expect(await e.h.prisma.request.count({ where: { fileId: file.id, model: "qwen-plus" } })).toBe(150);
  });

  it("stops at 1 MB when the lines are big", async () => {
    const { ctx, team, connection } = await setup("bailian", "bailian");
    const file = await makeFile(e, team.id, 60, { models: ["qwen-plus"] });
    const big = "x".repeat(30_000);
    const rows = await e.h.prisma.request.findMany({ where: { fileId: file.id }, select: { id: true, line: true } });
    for (const r of rows) {
      await e.h.prisma.request.update({ where: { id: r.id }, data: { body: { model: "qwen-plus", messages: [{ role: "user", content: `${r.line} ${big}` }] } } });
    }
    const { batchId } = await launch(ctx, connection.id, file.id, { dryRun: true });
    const b = await e.h.prisma.batch.findUniqueOrThrow({ where: { id: batchId } });
    const providerFile = await e.h.prisma.sandboxFile.findUniqueOrThrow({ where: { id: b.providerInputFileId! } });
    expect(providerFile.bytes).toBeLessThanOrEqual(1024 * 1024);
    expect(providerFile.lines).toBe(34); // 34 lines of about 30 KB fit in 1 MB, 35 do not
    expect(b.total).toBe(34);
  });

  it("refuses an embeddings file clearly, sending nothing", async () => {
    const { ctx, team, connection } = await setup("bailian", "bailian");
    const file = await makeFile(e, team.id, 3, { models: ["text-embedding-v4"] });
    await e.h.prisma.inputFile.update({ where: { id: file.id }, data: { endpoint: "/v1/embeddings" } });
    const before = e.calls.length;
    await expect(launch(ctx, connection.id, file.id, { dryRun: true, endpoint: "/v1/embeddings" })).rejects.toThrow(
      `A dry run sends chat completions to Alibaba Bailian (DashScope)'s batch-test-model on /v1/chat/ds-test; "questions-3.jsonl" is a /v1/embeddings file, which it cannot test. Launch it without a dry run.`,
    );
    expect(e.calls.length).toBe(before);
    expect(await e.h.prisma.batch.count({ where: { teamId: team.id } })).toBe(0);
  });

  it("is refused on a provider without one", async () => {
    const { ctx, team, connection } = await makeTeam(e); // its built-in Sandbox connection
    const file = await makeFile(e, team.id, 3);
    await expect(launch(ctx, connection.id, file.id, { dryRun: true })).rejects.toThrow(/offers no free dry run/);
  });
});

describe("how many batches a provider runs at once", () => {
  it("launches at most 2 batches of Bailian's batch-test-model at once on a connection, and others beside them", async () => {
    const { ctx, team, connection } = await setup("bailian", "bailian");
    const file = await makeFile(e, team.id, 3, { models: ["qwen-plus"] });
    const slow = { dryRun: true, metadata: { sandbox_ms_per_request: "600000" } };
    const first = await launch(ctx, connection.id, file.id, slow);
    await launch(ctx, connection.id, file.id, slow);
    const before = sentBatches();
    await expect(launch(ctx, connection.id, file.id, slow)).rejects.toThrow(
      "Alibaba Bailian (DashScope) runs at most 2 batches of batch-test-model at once, and 2 are running on Qwen. Launch again when one has ended.",
    );
    expect(sentBatches()).toBe(before);
    // The same file on its own model is another matter.
    expect((await launch(ctx, connection.id, file.id)).created).toBe(true);
    // Once one has ended, the next test run goes.
    await e.h.prisma.batch.update({ where: { id: first.batchId }, data: { status: "COMPLETED" } });
    expect((await launch(ctx, connection.id, file.id, slow)).created).toBe(true);
  });

  it("refuses a launch over the provider's unfinished batches per account", async () => {
    const { ctx, team, connection } = await setup("bailian", "bailian");
    const file = await makeFile(e, team.id, 3, { models: ["qwen-plus"] });
    await launch(ctx, connection.id, file.id, { metadata: { sandbox_ms_per_request: "600000" } });
    const profile = { ...bailianProfile, capabilities: { ...bailianProfile.capabilities, rateLimits: { maxUnfinished: 1 } } };
    await expect(checkUnfinished(e.h.prisma, { id: connection.id, name: connection.name, profile }, ["qwen-plus"])).rejects.toThrow(
      "Alibaba Bailian (DashScope) runs at most 1 unfinished batches per account, and 1 are unfinished on Qwen. Launch again when some have ended.",
    );
    await checkUnfinished(e.h.prisma, { id: connection.id, name: connection.name, profile: { ...profile, capabilities: { ...profile.capabilities, rateLimits: { maxUnfinished: 2 } } } }, ["qwen-plus"]);
  });
});
