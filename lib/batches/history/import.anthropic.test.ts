// Import history for Anthropic Message Batches, over real HTTP against the sandbox's imitation of
// Anthropic: batches made on the "account" directly through the official @anthropic-ai/sdk (as the
// Anthropic console or a script would, not through Batchboard) are listed page by page (after_id /
// before_id / has_more / first_id / last_id as Anthropic documents them), imported with an honest
// empty input (Anthropic keeps none), synced by syncBatch until their results are in; nothing is
// ever made twice; a batch launched from Batchboard is already there; roles and teams hold.
import Anthropic from "@anthropic-ai/sdk";
import type { MessageBatch } from "@anthropic-ai/sdk/resources/messages/batches";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { TeamContext } from "@/lib/auth/context";
import { encryptSecret } from "@/lib/crypto";
import type { Role } from "@/lib/generated/prisma/enums";
import { addConnection } from "@/lib/providers/connections";
import { addConnectionInput } from "@/lib/providers/connections.schema";
import { sandboxKeyForTeam } from "@/lib/providers/sandbox/keys";
import { handleSandboxRequest } from "@/lib/providers/sandbox/server";
import { ctxOf } from "@/lib/teams/fixtures";
import { launchBatch } from "@/lib/batches/engine/launch";
import { launchBatchInput } from "@/lib/batches/schemas";
import { syncBatch } from "@/lib/batches/engine/sync";
import { launchInput, makeFile, makeTeam, sleep, startEngine, until, type Engine } from "@/lib/batches/engine/fixtures";
import { ANTHROPIC_NO_INPUT } from "@/lib/providers/anthropic/profile";
import { importBatches, listProviderBatches } from "./import";

let e: Engine;
beforeAll(async () => {
  e = await startEngine();
});
afterAll(() => e.close());

/**
 * A team with an Anthropic connection on the sandbox's imitation, added as the Providers page does
 * (target "sandbox": base URL "builtin:anthropic", the team's own sandbox key), and the SDK as the
 * account's owner would use it outside Batchboard (its knob segment makes the test model quick).
 */
async function setup() {
  const t = await makeTeam(e);
  const owner = await ctxOf(e.h.prisma, t.user.id, t.team.id);
  const view = await addConnection(e.h.prisma, owner, addConnectionInput.parse({ target: "sandbox", kind: "anthropic", name: "Claude" }));
  expect(view.baseUrl).toBe("builtin:anthropic");
  const apiKey = sandboxKeyForTeam(t.team.id);
  const sdk = (msPerRequest = 1) => new Anthropic({ apiKey, baseURL: `${e.url}/api/sandbox/anthropic/sandbox_ms_per_request=${msPerRequest}`, maxRetries: 0, defaultHeaders: { "x-api-key": apiKey, "anthropic-version": "2023-06-01", Authorization: null } });
  return { ...t, ctx: owner as TeamContext, connectionId: view.id, sdk };
}

/** A Message Batch made on the account directly: `n` requests q-1..q-n, q-2 failing on purpose. */
async function providerBatch(sdk: Anthropic, n: number) {
  const requests = Array.from({ length: n }, (_, i) => ({
    custom_id: `q-${i + 1}`,
    params: { model: "claude-test", max_tokens: 100, messages: [{ role: "user" as const, content: `Question ${i + 1}${i === 1 ? " [fail]" : ""}` }] },
  }));
  const b = await sdk.messages.batches.create({ requests });
  // Distinct creation times, so "newest first" has one answer.
  await sleep(3);
  return b;
}

const syncToEnd = (batchId: string) => until(e, batchId, () => syncBatch(e.h.prisma, batchId));
const listCalls = () => e.calls.filter((c) => c.method === "GET" && c.route === "messages/batches").length;

describe("the imitation lists Message Batches as Anthropic documents it", () => {
  it("pages newest first with limit, after_id and before_id, has_more in the asked direction, first_id and last_id", async () => {
    const { sdk } = await setup();
    const made: MessageBatch[] = [];
    for (let i = 0; i < 7; i++) made.push(await providerBatch(sdk(), 1));
    const newest = made.map((b) => b.id).reverse();
    const client = sdk();

    const p1 = await client.messages.batches.list({ limit: 3 });
    expect(p1.data.map((b) => b.id)).toEqual(newest.slice(0, 3));
    expect({ has_more: p1.has_more, first_id: p1.first_id, last_id: p1.last_id }).toEqual({ has_more: true, first_id: newest[0], last_id: newest[2] });
    expect(p1.data[0]).toMatchObject({ type: "message_batch", processing_status: expect.any(String), archived_at: null });

    const p2 = await client.messages.batches.list({ limit: 3, after_id: p1.last_id! });
    expect(p2.data.map((b) => b.id)).toEqual(newest.slice(3, 6));
    expect(p2.has_more).toBe(true);
    const p3 = await client.messages.batches.list({ limit: 3, after_id: p2.last_id! });
    expect(p3.data.map((b) => b.id)).toEqual(newest.slice(6));
    expect({ has_more: p3.has_more, first_id: p3.first_id, last_id: p3.last_id }).toEqual({ has_more: false, first_id: newest[6], last_id: newest[6] });

    // Backwards: the page immediately before an object is the newer one, still newest first.
    const back = await client.messages.batches.list({ limit: 3, before_id: p3.first_id! });
    expect(back.data.map((b) => b.id)).toEqual(newest.slice(3, 6));
    expect(back.has_more).toBe(true);
    const top = await client.messages.batches.list({ limit: 3, before_id: back.first_id! });
    expect(top.data.map((b) => b.id)).toEqual(newest.slice(0, 3));
    expect(top.has_more).toBe(false);

    // The SDK's auto-pagination walks it all; the default page is 20 and the largest 1000.
    const all: string[] = [];
    for await (const b of client.messages.batches.list({ limit: 2 })) all.push(b.id);
    expect(all).toEqual(newest);
    expect((await client.messages.batches.list()).data).toHaveLength(7);
    await expect(client.messages.batches.list({ limit: 1001 })).rejects.toThrow(/limit/);
  });

  it("answers results_url on the host the client called, even where the server's URL names another (next start: localhost)", async () => {
    const { team, sdk } = await setup();
    const b = await providerBatch(sdk(), 1);
    await sleep(30);
    const ask = (host: string | null) =>
      handleSandboxRequest(
        new Request(`http://localhost:1/api/sandbox/anthropic/v1/messages/batches/${b.id}`, {
          headers: { ...(host ? { host } : {}), "x-api-key": sandboxKeyForTeam(team.id), "anthropic-version": "2023-06-01" },
        }),
      ).then((r) => r.json() as Promise<MessageBatch>);
    expect((await ask("127.0.0.1:3307")).results_url).toBe(`http://127.0.0.1:3307/api/sandbox/anthropic/v1/messages/batches/${b.id}/results`);
    // A Host header that is not a host falls back to the URL's own.
    expect((await ask("evil/path")).results_url).toBe(`http://localhost:1/api/sandbox/anthropic/v1/messages/batches/${b.id}/results`);
  });
});

describe("importing an Anthropic account's history", () => {
  it("lists every page (7 batches, pages of 3), imports them all, and syncs each to its results", async () => {
    const { ctx, team, user, connectionId, sdk } = await setup();
    const made: MessageBatch[] = [];
    for (let i = 0; i < 7; i++) made.push(await providerBatch(sdk(), 3));

    const before = listCalls();
    const list = await listProviderBatches(e.h.prisma, ctx, connectionId, {}, { pageSize: 3 });
    expect(listCalls() - before).toBe(3);
    expect(list).toMatchObject({ pages: 3, truncated: false });
    expect(list.batches.map((b) => b.id)).toEqual(made.map((b) => b.id).reverse());
    for (const b of list.batches) {
      expect(b).toMatchObject({ endpoint: "/v1/messages", total: 3, batchId: null, inputFileId: null, name: null, progress: null });
      expect(["in_progress", "ended"]).toContain(b.rawStatus);
    }
    expect(list.batches.find((b) => b.id === made[0].id)!.createdAt).toBe(new Date(made[0].created_at).toISOString());
    // Anthropic's list takes only paging: any filter is refused by name.
    await expect(listProviderBatches(e.h.prisma, ctx, connectionId, { status: "completed" })).rejects.toThrow(
      'Anthropic takes no list filters ("status" was given): its whole history is listed.',
    );

    const out = await importBatches(e.h.prisma, ctx, connectionId, made.map((b) => b.id));
    expect(out.map((o) => o.outcome)).toEqual(Array(7).fill("imported"));
    // Each says plainly that its prompts cannot come along.
    expect(out.every((o) => o.message === ANTHROPIC_NO_INPUT)).toBe(true);

    for (const [i, remote] of made.entries()) {
      const b = await e.h.prisma.batch.findUniqueOrThrow({ where: { id: out[i].batchId! }, include: { inputFile: true } });
      expect(b).toMatchObject({
        teamId: team.id,
        connectionId,
        providerBatchId: remote.id,
        createdById: user.id,
        name: `Imported ${remote.id}`,
        endpoint: "/v1/messages",
        completionWindow: "24h",
        total: 3,
      });
      expect(["IN_PROGRESS", "COMPLETED"]).toContain(b.status);
      expect(b.importedAt).toBeInstanceOf(Date);
      // In the history at the time Anthropic made it, not at the import.
      expect(b.createdAt.toISOString()).toBe(new Date(remote.created_at).toISOString());
      expect(b.inputFile).toMatchObject({ origin: "import", requestCount: 0, status: "invalid", problemCount: 1, endpoint: "/v1/messages" });
      expect(b.inputFile.problems).toEqual([{ line: 0, message: ANTHROPIC_NO_INPUT }]);

      const ended = await syncToEnd(b.id);
      expect(ended).toMatchObject({ status: "COMPLETED", rawStatus: "ended", total: 3, completed: 2, failed: 1, resultCount: 3 });
      const results = await e.h.prisma.result.findMany({ where: { batchId: b.id }, orderBy: { customId: "asc" } });
      expect(results.map((r) => [r.customId, r.succeeded, r.line])).toEqual([
        ["q-1", true, null],
        ["q-2", false, null],
        ["q-3", true, null],
      ]);
      expect(results[0].content).toBe('This is a test result. You said: "Question 1"');
      expect(results[1]).toMatchObject({ errorCode: "invalid_request_error", errorMessage: "Input data may contain inappropriate content." });
    }
    // Snapshots tell the progress from the import on.
    expect(await e.h.prisma.batchSnapshot.count({ where: { batchId: out[0].batchId! } })).toBeGreaterThanOrEqual(1);
    expect(await e.h.prisma.auditEvent.count({ where: { teamId: team.id, action: "batch.imported" } })).toBe(7);

    // Listed again, every one is marked with its batch.
    const again = await listProviderBatches(e.h.prisma, ctx, connectionId);
    expect(Object.fromEntries(again.batches.map((b) => [b.id, b.batchId]))).toEqual(Object.fromEntries(made.map((b, i) => [b.id, out[i].batchId])));
  });

  it("imports a batch still running and follows it to its end; a cap on the listing says it was cut", async () => {
    const { ctx, connectionId, sdk } = await setup();
    const running = await providerBatch(sdk(200), 4);
    const [o] = await importBatches(e.h.prisma, ctx, connectionId, [running.id]);
    const row = await e.h.prisma.batch.findUniqueOrThrow({ where: { id: o.batchId! } });
    expect(row).toMatchObject({ status: "IN_PROGRESS", rawStatus: "in_progress", total: 4, completed: 0, failed: 0, resultsIngestedAt: null });
    expect(await syncToEnd(row.id)).toMatchObject({ status: "COMPLETED", completed: 3, failed: 1, resultCount: 4 });

    await providerBatch(sdk(), 1);
    await providerBatch(sdk(), 1);
    const cut = await listProviderBatches(e.h.prisma, ctx, connectionId, {}, { pageSize: 1, maxBatches: 2 });
    // The cut is known when a third batch shows up, on the third page asked for.
    expect(cut).toMatchObject({ truncated: true, pages: 3 });
    expect(cut.batches).toHaveLength(2);
  });

  it("never makes two rows: importing twice, or twice at once, answers the same batch", async () => {
    const { ctx, team, connectionId, sdk } = await setup();
    const one = await providerBatch(sdk(), 2);
    const two = await providerBatch(sdk(), 2);
    const [a, b] = await Promise.all([
      importBatches(e.h.prisma, ctx, connectionId, [one.id, two.id]),
      importBatches(e.h.prisma, ctx, connectionId, [two.id, one.id, one.id]),
    ]);
    expect(await e.h.prisma.batch.count({ where: { teamId: team.id } })).toBe(2);
    for (const id of [one.id, two.id]) {
      const outcomes = [...a, ...b].filter((o) => o.providerBatchId === id);
      expect(outcomes).toHaveLength(2);
      expect(outcomes.filter((o) => o.outcome === "imported")).toHaveLength(1);
      expect(new Set(outcomes.map((o) => o.batchId)).size).toBe(1);
    }
    // The loser's stand-in input is not left behind.
    expect(await e.h.prisma.inputFile.count({ where: { teamId: team.id, origin: "import" } })).toBe(2);

    const again = await importBatches(e.h.prisma, ctx, connectionId, [one.id]);
    expect(again).toEqual([{ providerBatchId: one.id, outcome: "already", batchId: a[0].batchId }]);
    expect(await e.h.prisma.batch.count({ where: { teamId: team.id } })).toBe(2);
  });

  it("knows a batch launched from Batchboard by its provider id, and waits while a launch is unanswered", async () => {
    const { ctx, team, connectionId, sdk } = await setup();
    const file = await makeFile(e, team.id, 2);
    const { batchId } = await launchBatch(launchBatchInput.parse(launchInput(connectionId, file.id, { metadata: undefined })), ctx);
    const launched = await e.h.prisma.batch.findUniqueOrThrow({ where: { id: batchId } });
    expect(launched.providerBatchId).toMatch(/^msgbatch_/);
    const list = await listProviderBatches(e.h.prisma, ctx, connectionId);
    expect(list.batches).toEqual([expect.objectContaining({ id: launched.providerBatchId, batchId })]);
    expect(await importBatches(e.h.prisma, ctx, connectionId, [launched.providerBatchId!])).toEqual([
      { providerBatchId: launched.providerBatchId, outcome: "already", batchId },
    ]);

    // A launch still waiting for Anthropic's answer has no provider id yet, and Anthropic batches carry
    // no metadata: a batch made around then may be that launch's, so it is not imported yet.
    await e.h.prisma.batch.update({ where: { id: batchId }, data: { providerBatchId: null, status: "LAUNCHING", createdAt: new Date() } });
    const other = await providerBatch(sdk(), 1);
    const [waiting] = await importBatches(e.h.prisma, ctx, connectionId, [other.id]);
    expect(waiting).toMatchObject({ outcome: "failed", message: expect.stringMatching(/still waiting for Anthropic's answer.*Import it again in a few minutes/) });
    await e.h.prisma.batch.update({ where: { id: batchId }, data: { providerBatchId: launched.providerBatchId, status: "COMPLETED" } });
    expect((await importBatches(e.h.prisma, ctx, connectionId, [other.id]))[0].outcome).toBe("imported");
    expect(await e.h.prisma.batch.count({ where: { teamId: team.id } })).toBe(2);
  });

  it("works for the anthropic-compatible kind at a typed base URL, and answers a batch that does not exist as failed", async () => {
    const t = await makeTeam(e);
    const connection = await e.h.prisma.providerConnection.create({
      data: {
        teamId: t.team.id,
        kind: "anthropic-compatible",
        name: "Gateway",
        baseUrl: `${e.url}/api/sandbox/anthropic`,
        encryptedKey: encryptSecret(sandboxKeyForTeam(t.team.id)),
        keyLast4: "test",
        createdById: t.user.id,
      },
    });
    const ctx = { ...t.ctx, role: "MEMBER" as Role };
    const sdk = new Anthropic({ apiKey: sandboxKeyForTeam(t.team.id), baseURL: `${e.url}/api/sandbox/anthropic/sandbox_ms_per_request=1`, maxRetries: 0, defaultHeaders: { "x-api-key": sandboxKeyForTeam(t.team.id), "anthropic-version": "2023-06-01", Authorization: null } });
    const real = await providerBatch(sdk, 2);
    expect((await listProviderBatches(e.h.prisma, ctx, connection.id)).batches.map((b) => b.id)).toEqual([real.id]);
    const out = await importBatches(e.h.prisma, ctx, connection.id, ["msgbatch_nope", real.id]);
    expect(out[0]).toEqual({ providerBatchId: "msgbatch_nope", outcome: "failed", message: "Gateway has no batch msgbatch_nope." });
    expect(out[1].outcome).toBe("imported");
    expect(await syncToEnd(out[1].batchId!)).toMatchObject({ status: "COMPLETED", resultCount: 2 });
  });

  it("says when the account cannot be read: a wrong key is Anthropic's own words", async () => {
    const t = await makeTeam(e);
    const connection = await e.h.prisma.providerConnection.create({
      data: {
        teamId: t.team.id,
        kind: "anthropic-compatible",
        name: "Wrong key",
        baseUrl: `${e.url}/api/sandbox/anthropic`,
        encryptedKey: encryptSecret("sk-ant-not-a-sandbox-key-0000"),
        keyLast4: "0000",
        createdById: t.user.id,
      },
    });
    const ctx = { ...t.ctx, role: "OWNER" as Role };
    await expect(listProviderBatches(e.h.prisma, ctx, connection.id)).rejects.toThrow("Wrong key did not list its batches: HTTP 401: invalid x-api-key");
  });

  it("stores no results for a batch Anthropic has archived, and says so instead of asking for ever", async () => {
    const { ctx, connectionId, sdk } = await setup();
    const old = await providerBatch(sdk(), 2);
    await sleep(20);
    const archivedAt = "2026-01-05T10:00:00Z";
    // Anthropic archives a batch 29 days on; the imitation's clock cannot wait that long, so its answers
    // for this one batch get an archived_at here.
    e.intercept.fn = async (req, route) => {
      if (req.method !== "GET" || !route.startsWith("messages/batches")) return undefined;
      const res = await handleSandboxRequest(req);
      if (route === `messages/batches/${old.id}`) return Response.json({ ...(await res.json()), archived_at: archivedAt });
      if (route === `messages/batches/${old.id}/results`) return Response.json({ type: "error", error: { type: "not_found_error", message: "archived" } }, { status: 404 });
      return res;
    };
    try {
      const [o] = await importBatches(e.h.prisma, ctx, connectionId, [old.id]);
      expect(o.outcome).toBe("imported");
      expect(o.message).toMatch(/^Anthropic archived this batch on 2026-01-05: its results are no longer available there/);
      const first = await syncBatch(e.h.prisma, o.batchId!);
      expect(first).toMatchObject({ status: "COMPLETED", ingested: false, error: expect.stringMatching(/archived/) });
      const row = await e.h.prisma.batch.findUniqueOrThrow({ where: { id: o.batchId! } });
      expect(row).toMatchObject({ resultCount: 0, nextPollAt: null });
      expect(row.resultsIngestedAt).toBeInstanceOf(Date);
      expect(row.lastSyncError).toMatch(/Anthropic keeps them 29 days/);
      expect(e.calls.some((c) => c.route === `messages/batches/${old.id}/results`)).toBe(false);
    } finally {
      e.intercept.fn = undefined;
    }
  });

  it("lets a member import, not a viewer; another team's connection is not found", async () => {
    const { ctx, connectionId, sdk } = await setup();
    const pb = await providerBatch(sdk(), 1);
    const viewer = { ...ctx, role: "VIEWER" as Role };
    await expect(importBatches(e.h.prisma, viewer, connectionId, [pb.id])).rejects.toThrow(/needs member or above/);
    await expect(listProviderBatches(e.h.prisma, viewer, connectionId)).rejects.toThrow(/needs member or above/);
    expect(await e.h.prisma.batch.count({ where: { connectionId } })).toBe(0);
    expect((await importBatches(e.h.prisma, { ...ctx, role: "MEMBER" }, connectionId, [pb.id]))[0].outcome).toBe("imported");

    const stranger = await makeTeam(e);
    const sctx = { ...stranger.ctx, role: "OWNER" as Role };
    await expect(importBatches(e.h.prisma, sctx, connectionId, [pb.id])).rejects.toThrow("That connection was not found.");
    await expect(listProviderBatches(e.h.prisma, sctx, connectionId)).rejects.toThrow("That connection was not found.");
    expect(await e.h.prisma.batch.count({ where: { teamId: stranger.team.id } })).toBe(0);
  });
});
