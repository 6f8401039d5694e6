// The one-click sample (sample.ts): a valid file of realistic requests, stored as an upload is and
// audited as one, launched on the team's built-in Sandbox, where it runs to completion.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startSyncWorker } from "./engine/worker";
import { makeTeam, startEngine, until, type Engine } from "./engine/fixtures";
import { launchSample, SAMPLE_BATCH_NAME, SAMPLE_FILE_NAME, sampleJsonl } from "./sample";

let e: Engine;
beforeAll(async () => {
  e = await startEngine({ SANDBOX_MS_PER_REQUEST: "5" });
});
afterAll(() => e.close());

describe("launchSample", () => {
  it("stores the sample file and runs it on the team's Sandbox", async () => {
    const t = await makeTeam(e);
    const { batchId, fileId } = await launchSample(t.ctx);
    const file = await e.h.prisma.inputFile.findUniqueOrThrow({ where: { id: fileId } });
    const lines = sampleJsonl().trim().split("\n");
    expect(file).toMatchObject({ teamId: t.team.id, name: SAMPLE_FILE_NAME, status: "valid", requestCount: lines.length, createdById: t.user.id });
    expect(lines.length).toBeGreaterThanOrEqual(5);
    const batch = await e.h.prisma.batch.findUniqueOrThrow({ where: { id: batchId } });
    expect(batch).toMatchObject({ name: SAMPLE_BATCH_NAME, connectionId: t.connection.id, inputFileId: fileId, total: lines.length });
    const actions = (await e.h.prisma.auditEvent.findMany({ where: { teamId: t.team.id }, orderBy: { id: "asc" } })).map((a) => a.action);
    expect(actions).toEqual(expect.arrayContaining(["file.uploaded", "batch.launched"]));

    const worker = startSyncWorker({ owner: "sample", manual: true });
    try {
      const done = await until(e, batchId, () => worker.runOnce());
      expect(done.status).toBe("COMPLETED");
    } finally {
      await worker.stop();
    }
    expect(await e.h.prisma.result.count({ where: { batchId, succeeded: true } })).toBe(lines.length);
  });
});
