// The batch engine's log lines, read back as JSON: a launch, its polls and status changes, its
// ingest, a refused launch, a sync error and a Retry-After. None carries a key, a prompt or an answer.
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { UserError } from "@/lib/errors";
import { sandboxKeyForTeam } from "@/lib/providers/sandbox/keys";
import { captureLog, restoreLog, type LogLine } from "@/lib/test/log";
import { launchBatch } from "./launch";
import { launchBatchInput } from "@/lib/batches/schemas";
import { syncBatch } from "./sync";
import { startSyncWorker } from "./worker";
import { launchInput, makeFile, makeTeam, startEngine, until, type Engine } from "./fixtures";

let e: Engine;
beforeAll(async () => {
  e = await startEngine();
});
afterAll(() => e.close());
afterEach(() => {
  restoreLog();
  e.intercept.fn = undefined;
});

const named = (lines: LogLine[], event: string) => lines.filter((l) => l.event === event);

/** What no line may hold: the team's provider key, a prompt, an answer. */
function expectNothingSecret(lines: LogLine[], teamId: string) {
  const text = JSON.stringify(lines);
  expect(text).not.toContain(sandboxKeyForTeam(teamId));
  expect(text).not.toContain("Question number"); // the prompts of makeFile
  expect(text).not.toContain("You said"); // the sandbox model's answers
}

describe("log events", () => {
  it("a launch, its polls, its status changes and its ingest", async () => {
    const lines = captureLog("debug");
    const { ctx, connection, team } = await makeTeam(e);
    const file = await makeFile(e, team.id, 6, { failing: [1] });
    const { batchId } = await launchBatch(launchBatchInput.parse(launchInput(connection.id, file.id)), ctx);
    const worker = startSyncWorker({ owner: "log-test", manual: true });
    await until(e, batchId, () => worker.runOnce());
    await worker.stop();
    const b = await e.h.prisma.batch.findUniqueOrThrow({ where: { id: batchId } });

    expect(named(lines, "launch.started")).toEqual([
      expect.objectContaining({ level: "info", batchId, teamId: team.id, connectionId: connection.id, provider: "sandbox", requests: 6 }),
    ]);
    expect(named(lines, "launch.created")).toEqual([expect.objectContaining({ level: "info", batchId, providerBatchId: b.providerBatchId })]);
    const polls = named(lines, "sync.polled");
    expect(polls.length).toBeGreaterThanOrEqual(1);
    expect(polls.every((l) => l.level === "debug" && l.batchId === batchId && typeof l.nextPollMs === "number")).toBe(true);
    expect(polls.at(-1)).toMatchObject({ status: "COMPLETED", total: 6, completed: 5, failed: 1 });
    const changes = named(lines, "batch.status_changed");
    expect(changes.length).toBeGreaterThanOrEqual(1);
    expect(changes.at(-1)).toMatchObject({ level: "info", batchId, to: "COMPLETED" });
    expect(named(lines, "ingest.started")).toEqual([expect.objectContaining({ level: "info", batchId })]);
    expect(named(lines, "ingest.finished")).toEqual([expect.objectContaining({ level: "info", batchId, results: 6, skipped: 0 })]);
    expect(typeof named(lines, "ingest.finished")[0].ms).toBe("number");
    expectNothingSecret(lines, team.id);
  });

  it("a refused launch", async () => {
    const lines = captureLog("info");
    const { ctx, connection, team } = await makeTeam(e);
    const file = await makeFile(e, team.id, 2);
    const input = launchBatchInput.parse(launchInput(connection.id, file.id, { metadata: { sandbox_fail_every: "0" } }));
    await expect(launchBatch(input, ctx)).rejects.toBeInstanceOf(UserError);
    const [refused] = named(lines, "launch.refused");
    expect(refused).toMatchObject({ level: "warn", error: { name: "UserError" } });
    expect(refused.batchId).toBe(named(lines, "launch.started")[0].batchId);
    expect((refused.error as { message: string }).message).toMatch(/^The provider refused the batch \(HTTP 400\): Invalid metadata 'sandbox_fail_every'/);
    expect(named(lines, "launch.input_file_deleted")).toHaveLength(1);
    expectNothingSecret(lines, team.id);
  });

  it("a sync error (a 500) at warn, and a 429's Retry-After at info, each with the next poll", async () => {
    const { ctx, connection, team } = await makeTeam(e);
    const file = await makeFile(e, team.id, 2);
    const { batchId } = await launchBatch(launchBatchInput.parse(launchInput(connection.id, file.id)), ctx);
    const lines = captureLog("info");
    e.intercept.fn = async (req, route) =>
      req.method === "GET" && route.startsWith("batches/")
        ? Response.json({ error: { message: "The server had an error (Authorization: Bearer sk-abcdefghijklmnop)", type: "server_error" } }, { status: 500 })
        : undefined;
    const failed = await syncBatch(e.h.prisma, batchId);
    expect(failed.error).toBeTruthy();
    e.intercept.fn = async (req, route) =>
      req.method === "GET" && route.startsWith("batches/")
        ? Response.json({ error: { message: "Slow down", type: "requests" } }, { status: 429, headers: { "retry-after": "7" } })
        : undefined;
    await syncBatch(e.h.prisma, batchId);

    const [warn] = named(lines, "sync.failed");
    expect(warn).toMatchObject({ level: "warn", batchId, error: { status: 500 } });
    expect(warn.nextPollMs).toBeGreaterThan(0);
    expect(JSON.stringify(warn)).not.toContain("abcdefghijklmnop");
    expect(named(lines, "sync.retry_after")).toEqual([
      expect.objectContaining({ level: "info", batchId, retryAfterMs: 7000, nextPollMs: 7000, error: expect.objectContaining({ status: 429 }) }),
    ]);
    expectNothingSecret(lines, team.id);
  });
});
