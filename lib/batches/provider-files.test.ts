// The connection's provider files over real HTTP to the sandbox: each file with the batches that
// used it and whether one still needs it; deleting one (refused while a batch needs it) and every
// unused one; the file settings, and OpenAI's expires_after / output_expires_after sent as the
// connection sets them.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { encryptSecret } from "@/lib/crypto";
import { sandboxKeyForTeam } from "@/lib/providers/sandbox/keys";
import { launchBatchInput } from "@/lib/batches/schemas";
import { launchBatch } from "@/lib/batches/engine/launch";
import { startSyncWorker } from "@/lib/batches/engine/worker";
import { launchInput, makeFile, makeTeam, startEngine, until, type Engine } from "@/lib/batches/engine/fixtures";
import { deleteProviderFile, deleteUnusedProviderFiles, providerFiles, saveFileSettings } from "./provider-files";

let e: Engine;
beforeAll(async () => {
  e = await startEngine();
});
afterAll(() => e.close());

describe("provider files", () => {
  it("lists the provider's files with the batches that used them, deletes one, and every one no batch needs", async () => {
    const t = await makeTeam(e);
    await saveFileSettings(e.h.prisma, t.ctx, t.connection.id, { deleteInputFiles: false, fileExpiryDays: null });
    const done = await launchBatch(launchBatchInput.parse(launchInput(t.connection.id, (await makeFile(e, t.team.id, 3, { failing: [0] })).id, { name: "Finished one" })), t.ctx);
    const worker = startSyncWorker({ owner: "files", manual: true });
    const b = await until(e, done.batchId, () => worker.runOnce());
    await worker.stop();
    const running = await launchBatch(
      launchBatchInput.parse(launchInput(t.connection.id, (await makeFile(e, t.team.id, 2)).id, { name: "Running one", metadata: { sandbox_ms_per_request: "600000" } })),
      t.ctx,
    );
    const r = await e.h.prisma.batch.findUniqueOrThrow({ where: { id: running.batchId } });

    const view = await providerFiles(e.h.prisma, t.ctx, t.connection.id);
    const byId = new Map(view.files.map((f) => [f.id, f]));
    expect(view.noFiles).toBe(false);
    expect(byId.get(b.providerInputFileId!)).toMatchObject({ purpose: "batch", inUse: false, batches: [{ id: b.id, name: "Finished one", role: "input" }] });
    expect(byId.get(b.providerInputFileId!)!.bytes).toBeGreaterThan(0);
    expect(byId.get(b.outputFileId!)).toMatchObject({ inUse: false, batches: [{ id: b.id, role: "output" }] });
    expect(byId.get(b.errorFileId!)).toMatchObject({ inUse: false, batches: [{ id: b.id, role: "error" }] });
    expect(byId.get(r.providerInputFileId!)).toMatchObject({ inUse: true, batches: [{ id: r.id, name: "Running one", role: "input" }] });

    await expect(deleteProviderFile(e.h.prisma, t.ctx, t.connection.id, r.providerInputFileId!)).rejects.toThrow('The batch "Running one" still needs this file');
    await deleteProviderFile(e.h.prisma, t.ctx, t.connection.id, b.errorFileId!);
    expect(e.calls).toContainEqual({ method: "DELETE", route: `files/${b.errorFileId}` });

    const out = await deleteUnusedProviderFiles(e.h.prisma, t.ctx, t.connection.id);
    expect(out).toEqual({ deleted: 2, failed: 0, left: 0 });
    const after = await providerFiles(e.h.prisma, t.ctx, t.connection.id);
    expect(after.files.map((f) => f.id)).toEqual([r.providerInputFileId]);

    // Another team's connection is not found.
    const other = await makeTeam(e);
    await expect(providerFiles(e.h.prisma, other.ctx, t.connection.id)).rejects.toThrow("That connection was not found.");
  });

  it("offers file expiry only where the provider takes it, within its bounds, and sends it on upload and create (OpenAI)", async () => {
    const t = await makeTeam(e);
    await expect(saveFileSettings(e.h.prisma, t.ctx, t.connection.id, { deleteInputFiles: true, fileExpiryDays: 7 })).rejects.toThrow("takes no expiry for its files");
    const openai = await e.h.prisma.providerConnection.create({
      data: { teamId: t.team.id, kind: "openai", name: "OpenAI imitation", baseUrl: "builtin:openai", encryptedKey: encryptSecret(sandboxKeyForTeam(t.team.id)), keyLast4: "test", createdById: t.user.id },
    });
    await expect(saveFileSettings(e.h.prisma, t.ctx, openai.id, { deleteInputFiles: true, fileExpiryDays: 31 })).rejects.toThrow("between 1 and 30 days");
    await saveFileSettings(e.h.prisma, t.ctx, openai.id, { deleteInputFiles: true, fileExpiryDays: 7 });
    expect((await providerFiles(e.h.prisma, t.ctx, openai.id)).expiry).toEqual({ minDays: 1, maxDays: 30 });

    const bodies: string[] = [];
    e.intercept.fn = async (req, route) => {
      if (req.method === "POST" && (route === "files" || route === "batches")) bodies.push(await req.clone().text());
      return undefined;
    };
    try {
      await launchBatch(launchBatchInput.parse(launchInput(openai.id, (await makeFile(e, t.team.id, 2)).id)), t.ctx);
    } finally {
      e.intercept.fn = undefined;
    }
    const [upload, create] = bodies;
    expect(upload).toMatch(/name="expires_after\[anchor\]"\r\n\r\ncreated_at/);
    expect(upload).toMatch(/name="expires_after\[seconds\]"\r\n\r\n604800/);
    expect(JSON.parse(create).output_expires_after).toEqual({ anchor: "created_at", seconds: 604_800 });
  });
});
