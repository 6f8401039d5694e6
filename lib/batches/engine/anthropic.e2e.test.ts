// Anthropic Message Batches end to end over real HTTP: our own launch, sync, ingest and cancel (the
// official @anthropic-ai/sdk underneath) against the sandbox's "anthropic" mode, which imitates
// Anthropic's API from its documents. Also: lines that cannot be converted are refused with their
// line numbers before anything is sent; an interrupted or unanswered launch is never re-created;
// the connection test tells a wrong key from an unreachable URL.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { encryptSecret } from "@/lib/crypto";
import { probeProvider } from "@/lib/providers/connections";
import { unreachableMessage } from "@/lib/providers/failure";
import { sandboxKeyForTeam } from "@/lib/providers/sandbox/keys";
import { blobText } from "@/lib/providers/sandbox/blobs";
import { profileOf } from "@/lib/providers/profiles";
import { unknownOutcome } from "./rows";
import { cancelBatch } from "./cancel";
import { launchBatch } from "./launch";
import { launchBatchInput } from "@/lib/batches/schemas";
import { syncBatch } from "./sync";
import { launchInput, makeFile, makeTeam, sleep, startEngine, until, type Engine } from "./fixtures";

/** What a launch that may have reached Anthropic unanswered is closed with. */
const UNKNOWN_OUTCOME = unknownOutcome(profileOf("anthropic"));

let e: Engine;
beforeAll(async () => {
  e = await startEngine();
});
afterAll(() => e.close());

/** A team with an Anthropic connection whose base URL is the sandbox's anthropic mode (with knobs / faults). */
async function setup(segment = "sandbox_ms_per_request=20") {
  const t = await makeTeam(e);
  const baseUrl = [e.url, "api", "sandbox", "anthropic", segment].filter(Boolean).join("/");
  const connection = await e.h.prisma.providerConnection.create({
    data: {
      teamId: t.team.id,
      kind: "anthropic",
      name: "Claude",
      baseUrl,
      encryptedKey: encryptSecret(sandboxKeyForTeam(t.team.id)),
      keyLast4: "test",
      createdById: t.user.id,
    },
  });
  return { ...t, connection, baseUrl };
}

const input = (connectionId: string, fileId: string, extra: Record<string, unknown> = {}) =>
  launchBatchInput.parse(launchInput(connectionId, fileId, { metadata: undefined, ...extra }));

const runToEnd = (batchId: string) => until(e, batchId, () => syncBatch(e.h.prisma, batchId));
const posts = () => e.calls.filter((c) => c.method === "POST" && c.route === "messages/batches").length;

describe("Anthropic Message Batches against the sandbox's anthropic mode", () => {
  it("launches inline requests converted from chat completions, syncs to ended and ingests every result, errored ones too", async () => {
    const { ctx, team, connection } = await setup();
    const file = await makeFile(e, team.id, 8, { failing: [5] });
    // One body with a system prompt and no max_tokens: converted, with the default.
    const first = await e.h.prisma.request.findFirstOrThrow({ where: { fileId: file.id, line: 1 } });
    await e.h.prisma.request.update({
      where: { id: first.id },
      data: { body: { model: "batch-test-model", messages: [{ role: "system", content: "Be brief." }, { role: "user", content: "Question number 1" }], stop: "END" } },
    });

    const { batchId, created } = await launchBatch(input(connection.id, file.id, { name: "Claude run", description: "Kept here only" }), ctx);
    expect(created).toBe(true);
    const launched = await e.h.prisma.batch.findUniqueOrThrow({ where: { id: batchId } });
    expect(launched).toMatchObject({ status: "IN_PROGRESS", rawStatus: "in_progress", total: 8, completed: 0, failed: 0, completionWindow: "24h", name: "Claude run" });
    expect(launched.providerBatchId).toMatch(/^msgbatch_[A-Za-z0-9]{16,}$/);
    expect(launched.expiresAt!.getTime() - launched.providerCreatedAt!.getTime()).toBe(24 * 3_600_000);

    // What Anthropic received: {custom_id, params} with system moved out of messages.
    const sent = (await blobText(e.h.prisma, launched.providerBatchId!))
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l));
    expect(sent).toHaveLength(8);
    expect(sent[0]).toEqual({
      custom_id: "req-0001",
      params: { model: "batch-test-model", system: "Be brief.", messages: [{ role: "user", content: "Question number 1" }], max_tokens: 4096, stop_sequences: ["END"] },
    });
    expect(sent[1].params.max_tokens).toBe(50);

    // The same form submitted again: the same batch, nothing sent.
    const before = posts();
    expect(await launchBatch(input(connection.id, file.id, { idempotencyKey: launched.idempotencyKey.split(":")[1] }), ctx)).toEqual({ batchId, created: false });
    expect(posts()).toBe(before);

    const b = await runToEnd(batchId);
    expect(b).toMatchObject({ status: "COMPLETED", rawStatus: "ended", total: 8, completed: 7, failed: 1, resultCount: 8, lastSyncError: null });
    expect(b.outputFileId).toBe(`${connection.baseUrl}/v1/messages/batches/${b.providerBatchId}/results`);
    expect(b.completedAt).not.toBeNull();
    const snaps = await e.h.prisma.batchSnapshot.findMany({ where: { batchId }, orderBy: { id: "asc" } });
    expect(snaps.map((s) => s.rawStatus)).toEqual(["in_progress", "ended"]);

    const results = await e.h.prisma.result.findMany({ where: { batchId }, orderBy: { line: "asc" } });
    expect(results.map((r) => r.line)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    const ok = results[0];
    expect(ok).toMatchObject({ customId: "req-0001", succeeded: true, statusCode: 200, model: "batch-test-model", finishReason: "end_turn" });
    expect(ok.content).toBe('This is a test result. You said: "Question number 1"');
    expect(ok.providerRequestId).toMatch(/^msg_/);
    expect(ok.promptTokens! + ok.completionTokens!).toBe(ok.totalTokens);
    expect(JSON.parse(ok.usage!)).toMatchObject({ input_tokens: ok.promptTokens, output_tokens: ok.completionTokens });
    expect(results[5]).toMatchObject({ customId: "req-0006", succeeded: false, errorCode: "invalid_request_error", errorMessage: "Input data may contain inappropriate content." });

    // Ingest again (as after a crash mid-ingest): nothing is stored twice.
    await e.h.prisma.batch.update({ where: { id: batchId }, data: { resultsIngestedAt: null, nextPollAt: new Date() } });
    expect((await syncBatch(e.h.prisma, batchId)).ingested).toBe(true);
    expect(await e.h.prisma.result.count({ where: { batchId } })).toBe(8);
  });

  it("cancels: the batch goes canceling, then ended as cancelled; what finished is kept, the rest are canceled rows", async () => {
    const { ctx, team, connection } = await setup("sandbox_ms_per_request=100");
    const file = await makeFile(e, team.id, 30, { failing: [0] });
    const { batchId } = await launchBatch(input(connection.id, file.id), ctx);
    await sleep(1000); // validation 500 ms, then a request every 100 ms

    const stranger = await makeTeam(e);
    await expect(cancelBatch(stranger.ctx, batchId)).rejects.toThrow("That batch was not found.");
    const out = await cancelBatch(ctx, batchId);
    expect(out.status).toBe("CANCELLING");
    const cancelling = await e.h.prisma.batch.findUniqueOrThrow({ where: { id: batchId } });
    expect(cancelling).toMatchObject({ status: "CANCELLING", rawStatus: "canceling" });
    expect(cancelling.cancellingAt).not.toBeNull();

    const b = await runToEnd(batchId);
    expect(b).toMatchObject({ status: "CANCELLED", rawStatus: "ended", total: 30, resultCount: 30 });
    const results = await e.h.prisma.result.findMany({ where: { batchId } });
    const succeeded = results.filter((r) => r.succeeded).length;
    const canceled = results.filter((r) => r.errorCode === "canceled");
    expect(succeeded).toBeGreaterThan(0);
    expect(canceled.length).toBeGreaterThan(0);
    expect(results.find((r) => r.customId === "req-0001")).toMatchObject({ succeeded: false, errorCode: "invalid_request_error" });
    expect(b.completed).toBe(succeeded);
    expect(b.failed).toBe(30 - succeeded);
    expect(canceled[0].errorMessage).toBe("The batch was canceled before this request ran.");
    await expect(cancelBatch(ctx, batchId)).resolves.toMatchObject({ status: "CANCELLED" });
  });

  it("ends as expired when the window runs out: expired requests become failed rows", async () => {
    const { ctx, team, connection } = await setup("sandbox_ms_per_request=100,sandbox_expire_after_ms=800");
    const file = await makeFile(e, team.id, 10);
    const { batchId } = await launchBatch(input(connection.id, file.id), ctx);
    const b = await runToEnd(batchId);
    expect(b).toMatchObject({ status: "EXPIRED", rawStatus: "ended", total: 10, resultCount: 10 });
    const expired = await e.h.prisma.result.count({ where: { batchId, errorCode: "expired" } });
    expect(expired).toBeGreaterThan(0);
    expect(b.failed).toBe(expired);
    expect(b.expiredAt).not.toBeNull();
  });

  it("refuses, before sending anything, lines that cannot be converted, naming each line", async () => {
    const { ctx, team, connection } = await setup();
    const file = await makeFile(e, team.id, 4);
    const at = (line: number) => e.h.prisma.request.findFirstOrThrow({ where: { fileId: file.id, line } });
    await e.h.prisma.request.update({ where: { id: (await at(2)).id }, data: { body: { model: "m", messages: [{ role: "tool", content: "42" }] } } });
    await e.h.prisma.request.update({ where: { id: (await at(3)).id }, data: { customId: "has space" } });
    await e.h.prisma.request.update({ where: { id: (await at(4)).id }, data: { body: { model: "m", messages: [{ role: "user", content: "x" }], temperature: 2 } } });
    const before = posts();
    const msg = await launchBatch(input(connection.id, file.id), ctx).catch((x: Error) => x.message);
    expect(msg).toMatch(/^Anthropic cannot take this file: 3 lines cannot be sent \(lines 2, 3, 4\)\./);
    expect(msg).toContain('Line 2: messages[0] has role "tool", which cannot be converted');
    expect(msg).toContain('Line 3: custom_id "has space" must be 1 to 64 characters of letters, digits, "-" and "_" for Anthropic.');
    expect(msg).toContain("Line 4: temperature is 2; Anthropic takes 0 to 1.");
    expect(posts()).toBe(before);
    expect(await e.h.prisma.batch.count({ where: { teamId: team.id } })).toBe(0);

    // Anthropic batches have no metadata: asking for some is a clear refusal, not a silent drop.
    const file2 = await makeFile(e, team.id, 2);
    await expect(launchBatch(input(connection.id, file2.id, { metadata: { project: "x" } }), ctx)).rejects.toThrow(
      "Anthropic batches carry no metadata; the name and description are kept in Batchboard only.",
    );
    await expect(launchBatch(input(connection.id, file2.id, { completionWindow: "48h" }), ctx)).rejects.toThrow("it accepts 24h.");
  });

  it("waits out a 429 and creates once; a create left unanswered (500) is closed as failed and never sent again", async () => {
    {
      const { ctx, team, connection } = await setup("sandbox_ms_per_request=10/faults=429@1,retry-after=1,run=anthropic-429");
      const file = await makeFile(e, team.id, 3);
      const started = Date.now();
      const { batchId } = await launchBatch(input(connection.id, file.id), ctx);
      expect(Date.now() - started).toBeGreaterThanOrEqual(1000);
      expect(await e.h.prisma.sandboxBatch.count({ where: { teamId: team.id } })).toBe(1);
      expect((await runToEnd(batchId)).resultCount).toBe(3);
    }
    {
      const { ctx, team, connection } = await setup("sandbox_ms_per_request=10/faults=500@1,run=anthropic-500");
      const file = await makeFile(e, team.id, 3);
      const before = posts();
      const msg = await launchBatch(input(connection.id, file.id), ctx).catch((x: Error) => x.message);
      expect(msg).toContain("cannot tell whether Anthropic created it");
      expect(posts()).toBe(before + 1); // not retried
      const row = await e.h.prisma.batch.findFirstOrThrow({ where: { teamId: team.id } });
      expect(row).toMatchObject({ status: "FAILED", lastSyncError: UNKNOWN_OUTCOME, nextPollAt: null, providerBatchId: null });
      // The file is untouched and can be launched again by the user, knowingly.
      expect(await e.h.prisma.request.count({ where: { fileId: file.id } })).toBe(3);
    }
  });

  it("an interrupted launch (no provider batch id recorded) is closed as failed with the reason, never re-created", async () => {
    const { team, user, connection } = await setup();
    const file = await makeFile(e, team.id, 3);
    const row = await e.h.prisma.batch.create({
      data: {
        teamId: team.id,
        connectionId: connection.id,
        inputFileId: file.id,
        name: "Interrupted",
        endpoint: "/v1/chat/completions",
        completionWindow: "24h",
        idempotencyKey: `${team.id}:interrupted`,
        status: "LAUNCHING",
        total: 3,
        createdById: user.id,
        createdAt: new Date(Date.now() - 5 * 60_000),
      },
    });
    const before = e.calls.length;
    // Still within the time a launch may take: left alone.
    expect(await syncBatch(e.h.prisma, row.id)).toMatchObject({ status: "LAUNCHING", changed: false });
    await e.h.prisma.batch.update({ where: { id: row.id }, data: { createdAt: new Date(Date.now() - 16 * 60_000) } });
    expect(await syncBatch(e.h.prisma, row.id)).toMatchObject({ status: "FAILED", error: UNKNOWN_OUTCOME });
    expect(e.calls.length).toBe(before); // nothing asked of Anthropic, nothing created
    expect(await e.h.prisma.batch.findUniqueOrThrow({ where: { id: row.id } })).toMatchObject({ status: "FAILED", lastSyncError: UNKNOWN_OUTCOME, nextPollAt: null });
  });

  it("tests a connection: the right key works, a wrong key and an unreachable URL say so plainly", async () => {
    const { baseUrl, team } = await setup();
    const key = sandboxKeyForTeam(team.id);
    expect(await probeProvider("anthropic", baseUrl, key)).toEqual({ ok: true, outcome: "ok", message: "Connected. The key works (Message Batches listed)." });
    const wrong = "sk-ant-api03-definitely-not-a-key-1234";
    const bad = await probeProvider("anthropic", baseUrl, wrong);
    expect(bad).toEqual({ ok: false, outcome: "auth", message: "The provider refused the key (HTTP 401): invalid x-api-key" });
    const gone = await probeProvider("anthropic", "http://127.0.0.1:65533", key);
    expect(gone).toMatchObject({ ok: false, outcome: "unreachable", message: unreachableMessage("127.0.0.1:65533") });
  });
});
