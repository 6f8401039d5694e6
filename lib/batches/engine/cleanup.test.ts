// After a batch ends and its results are stored, the worker deletes its input file at the provider
// where the connection says so (the default), over real HTTP to the sandbox, and keeps it otherwise.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchBatchInput } from "@/lib/batches/schemas";
import { launchBatch } from "./launch";
import { startSyncWorker } from "./worker";
import { launchInput, makeFile, makeTeam, providerClient, startEngine, until, type Engine } from "./fixtures";

let e: Engine;
beforeAll(async () => {
  e = await startEngine();
});
afterAll(() => e.close());

async function runToEnd(deleteInputFiles: boolean) {
  const t = await makeTeam(e);
  await e.h.prisma.providerConnection.update({ where: { id: t.connection.id }, data: { deleteInputFiles } });
  const file = await makeFile(e, t.team.id, 4, { failing: [1] });
  const { batchId } = await launchBatch(launchBatchInput.parse(launchInput(t.connection.id, file.id)), t.ctx);
  const worker = startSyncWorker({ owner: `cleanup-${deleteInputFiles}`, manual: true });
  const b = await until(e, batchId, () => worker.runOnce());
  await worker.stop();
  const client = await providerClient(e, t.connection.id);
  const ids = (await client.files.list()).data.map((f) => f.id);
  return { b, ids };
}

describe("input files after a batch ends", () => {
  it("deletes the batch's input file at the provider once its results are stored, and keeps the results' files", async () => {
    const { b, ids } = await runToEnd(true);
    expect(b).toMatchObject({ status: "COMPLETED", resultCount: 4 });
    expect(b.inputDeletedAt).not.toBeNull();
    expect(e.calls).toContainEqual({ method: "DELETE", route: `files/${b.providerInputFileId}` });
    expect(ids).not.toContain(b.providerInputFileId);
    expect(ids).toContain(b.outputFileId);
    expect(ids).toContain(b.errorFileId);
  });

  it("keeps it where the connection says so", async () => {
    const { b, ids } = await runToEnd(false);
    expect(b.status).toBe("COMPLETED");
    expect(b.inputDeletedAt).toBeNull();
    expect(ids).toContain(b.providerInputFileId);
    expect(e.calls).not.toContainEqual({ method: "DELETE", route: `files/${b.providerInputFileId}` });
  });
});
