import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { encryptSecret } from "@/lib/crypto";
import { env } from "@/lib/env";
import { UserError } from "@/lib/errors";
import { sandboxKeyForTeam } from "@/lib/providers/sandbox/keys";
import { serve } from "@/lib/test/http";
import { launchBatch } from "./launch";
import { launchBatchInput } from "@/lib/batches/schemas";
import { launchInput, makeFile, makeTeam, providerClient, startEngine, type Engine } from "./fixtures";

let e: Engine;
beforeAll(async () => {
  e = await startEngine();
});
afterAll(() => e.close());

async function readAll(res: Response) {
  return (await res.text()).split("\n").filter(Boolean).map((l) => JSON.parse(l));
}

describe("launchBatch", () => {
  it("builds the provider file from the stored requests, creates the batch and records it", async () => {
    const { ctx, connection, team, user } = await makeTeam(e);
    const file = await makeFile(e, team.id, 25);
    const input = launchBatchInput.parse(launchInput(connection.id, file.id, { description: "First try" }));
    const { batchId, created } = await launchBatch(input, ctx);
    expect(created).toBe(true);

    const b = await e.h.prisma.batch.findUniqueOrThrow({ where: { id: batchId } });
    expect(b).toMatchObject({
      teamId: team.id,
      connectionId: connection.id,
      inputFileId: file.id,
      name: "Test batch",
      description: "First try",
      endpoint: "/v1/chat/completions",
      completionWindow: "24h",
      total: 25,
      leaseOwner: null,
      createdById: user.id,
    });
    expect(b.status).not.toBe("LAUNCHING");
    expect(b.rawStatus).toBe(b.status.toLowerCase());
    expect(b.providerBatchId).toMatch(/^batch_/);
    expect(b.providerInputFileId).toBeTruthy();
    expect(b.providerCreatedAt!.getTime()).toBeGreaterThan(Date.now() - 60_000);
    expect(b.expiresAt!.getTime()).toBeGreaterThan(Date.now() + 23 * 3600_000);
    expect(b.nextPollAt).not.toBeNull();

    const snaps = await e.h.prisma.batchSnapshot.findMany({ where: { batchId } });
    expect(snaps).toHaveLength(1);
    expect(snaps[0]).toMatchObject({ status: b.status, total: 25 });
    const events = await e.h.prisma.auditEvent.findMany({ where: { teamId: team.id, action: "batch.launched" } });
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ actorId: user.id, targetId: batchId });

    // The provider received exactly the stored requests, in line order, with the batch's endpoint.
    const client = await providerClient(e, connection.id);
    const remote = await client.batches.retrieve(b.providerBatchId!);
    expect(remote.metadata).toMatchObject({ name: "Test batch", description: "First try", batchboard_batch_id: batchId });
    const lines = await readAll(await client.files.content(b.providerInputFileId!));
    const stored = await e.h.prisma.request.findMany({ where: { fileId: file.id }, orderBy: { line: "asc" } });
    expect(lines).toEqual(stored.map((r) => ({ custom_id: r.customId, method: "POST", url: "/v1/chat/completions", body: r.body })));
  });

  it("is idempotent: concurrent calls with one key make one Batch row and one provider batch", async () => {
    const { ctx, connection, team } = await makeTeam(e);
    const file = await makeFile(e, team.id, 5);
    const input = launchBatchInput.parse(launchInput(connection.id, file.id));
    const before = e.calls.filter((c) => c.method === "POST" && c.route === "batches").length;

    const outcomes = await Promise.all([launchBatch(input, ctx), launchBatch(input, ctx), launchBatch(input, ctx)]);
    expect(new Set(outcomes.map((o) => o.batchId)).size).toBe(1);
    expect(outcomes.filter((o) => o.created)).toHaveLength(1);
    // A retry after the launch finished answers the same batch too.
    expect((await launchBatch(input, ctx)).batchId).toBe(outcomes[0].batchId);

    expect(await e.h.prisma.batch.count({ where: { teamId: team.id } })).toBe(1);
    expect(e.calls.filter((c) => c.method === "POST" && c.route === "batches").length - before).toBe(1);
    const client = await providerClient(e, connection.id);
    const remote = await client.batches.list({ limit: 100 });
    expect(remote.data).toHaveLength(1);
  });

  it("keeps keys per team: the same key in another team launches that team's own batch", async () => {
    const a = await makeTeam(e);
    const b = await makeTeam(e);
    const fa = await makeFile(e, a.team.id, 2);
    const fb = await makeFile(e, b.team.id, 2);
    const key = crypto.randomUUID();
    const ra = await launchBatch(launchBatchInput.parse(launchInput(a.connection.id, fa.id, { idempotencyKey: key })), a.ctx);
    const rb = await launchBatch(launchBatchInput.parse(launchInput(b.connection.id, fb.id, { idempotencyKey: key })), b.ctx);
    expect(ra.batchId).not.toBe(rb.batchId);
    expect(rb.created).toBe(true);
  });

  it("refuses another team's file or connection as not found", async () => {
    const a = await makeTeam(e);
    const b = await makeTeam(e);
    const fb = await makeFile(e, b.team.id, 2);
    const fa = await makeFile(e, a.team.id, 2);
    await expect(launchBatch(launchBatchInput.parse(launchInput(a.connection.id, fb.id)), a.ctx)).rejects.toThrow("That file was not found.");
    await expect(launchBatch(launchBatchInput.parse(launchInput(b.connection.id, fa.id)), a.ctx)).rejects.toThrow("That connection was not found.");
    expect(await e.h.prisma.batch.count({ where: { teamId: { in: [a.team.id, b.team.id] } } })).toBe(0);
  });

  it("checks the file against the profile before anything is sent", async () => {
    const { ctx, connection, team } = await makeTeam(e);
    const posts = () => e.calls.filter((c) => c.method === "POST").length;
    const before = posts();
    const file = await makeFile(e, team.id, 3);
    const go = (extra: Record<string, unknown>) => launchBatch(launchBatchInput.parse(launchInput(connection.id, file.id, extra)), ctx);

    await expect(go({ endpoint: "/v1/embeddings" })).rejects.toThrow(/requests are for \/v1\/chat\/completions, not \/v1\/embeddings/);
    await expect(go({ completionWindow: "48h" })).rejects.toThrow(/does not accept the completion window 48h; it accepts 24h, 1h/);

    await e.h.prisma.inputFile.update({ where: { id: file.id }, data: { status: "invalid" } });
    await expect(go({})).rejects.toThrow(/is invalid, not valid/);
    await e.h.prisma.inputFile.update({ where: { id: file.id }, data: { status: "valid", requestCount: 50_001 } });
    await expect(go({})).rejects.toThrow(/50,001 requests, over Sandbox \(built in\)'s limit of 50,000 per batch/);
    await e.h.prisma.inputFile.update({ where: { id: file.id }, data: { requestCount: 3, bytes: BigInt(201 * 1024 * 1024) } });
    await expect(go({})).rejects.toThrow(/201\.0 MB, over Sandbox \(built in\)'s limit of 200\.0 MB per file/);

    expect(posts()).toBe(before);
    expect(await e.h.prisma.batch.count({ where: { teamId: team.id } })).toBe(0);
  });

  it("turns the provider's refusal of the batch into a UserError and keeps the file for a new launch", async () => {
    const { ctx, connection, team } = await makeTeam(e);
    const file = await makeFile(e, team.id, 4);
    // The sandbox refuses a bad knob with a 400 in OpenAI's error shape, like a real provider would.
    const input = launchBatchInput.parse(launchInput(connection.id, file.id, { metadata: { sandbox_fail_every: "0" } }));
    const err = await launchBatch(input, ctx).catch((x: unknown) => x);
    expect(err).toBeInstanceOf(UserError);
    expect((err as Error).message).toMatch(/^The provider refused the batch \(HTTP 400\): Invalid metadata 'sandbox_fail_every'/);
    expect(await e.h.prisma.batch.count({ where: { teamId: team.id } })).toBe(0);
    expect(await e.h.prisma.inputFile.findUnique({ where: { id: file.id } })).not.toBeNull();
    expect(await e.h.prisma.request.count({ where: { fileId: file.id } })).toBe(4);

    // The input file it uploaded is gone from the provider too, and the temp file from the disk.
    const client = await providerClient(e, connection.id);
    expect((await client.files.list()).data).toEqual([]);
    expect(fs.readdirSync(path.join(env().DATA_DIR, "tmp"))).toEqual([]);

    // The same form (same key) can launch again once the problem is fixed.
    const again = await launchBatch({ ...input, metadata: { sandbox_ms_per_request: "20" } }, ctx);
    expect(again.created).toBe(true);
  });

  it("reports a provider that refuses the file, or cannot be reached, in words", async () => {
    const { ctx, team, user } = await makeTeam(e);
    const file = await makeFile(e, team.id, 2);
    const refusing = await serve(async () =>
      Response.json(
        { error: { message: "File too large for your tier.", type: "invalid_request_error", param: "file", code: "file_too_large" } },
        { status: 400 },
      ),
    );
    const mk = (name: string, baseUrl: string) =>
      e.h.prisma.providerConnection.create({
        data: { teamId: team.id, kind: "openai-compatible", name, baseUrl, encryptedKey: encryptSecret("sk-test-1234"), keyLast4: "1234", createdById: user.id },
      });
    const refuser = await mk("Refuser", `${refusing.url}/v1`);
    const err = await launchBatch(launchBatchInput.parse(launchInput(refuser.id, file.id)), ctx).catch((x: unknown) => x);
    expect(err).toBeInstanceOf(UserError);
    expect((err as Error).message).toBe("The provider refused the file (HTTP 400): File too large for your tier.");
    await refusing.close();

    const gone = await mk("Gone", `${refusing.url}/v1`); // closed: nothing listens there any more
    const err2 = await launchBatch(launchBatchInput.parse(launchInput(gone.id, file.id)), ctx).catch((x: unknown) => x);
    expect(err2).toBeInstanceOf(UserError);
    expect((err2 as Error).message).toMatch(/^Could not reach the provider/);
    expect(await e.h.prisma.batch.count({ where: { teamId: team.id } })).toBe(0);
    expect(await e.h.prisma.request.count({ where: { fileId: file.id } })).toBe(2);
  });

  it("does not create a second provider batch when the create's answer is lost", async () => {
    const { ctx, connection, team } = await makeTeam(e);
    const file = await makeFile(e, team.id, 3);
    let dropped = 0;
    e.intercept.fn = async (req, route) => {
      if (req.method === "POST" && route === "batches" && dropped === 0) {
        dropped++;
        // The provider creates the batch, then the answer is lost on the way back.
        const { handleSandboxRequest } = await import("@/lib/providers/sandbox/server");
        await handleSandboxRequest(req);
        return Response.json({ error: { message: "Bad gateway", type: "server_error" } }, { status: 502 });
      }
      return undefined;
    };
    try {
      const { batchId } = await launchBatch(launchBatchInput.parse(launchInput(connection.id, file.id)), ctx);
      const client = await providerClient(e, connection.id);
      const remote = await client.batches.list({ limit: 100 });
      expect(remote.data).toHaveLength(1);
      const b = await e.h.prisma.batch.findUniqueOrThrow({ where: { id: batchId } });
      expect(b.providerBatchId).toBe(remote.data[0].id);
    } finally {
      e.intercept.fn = undefined;
    }
  });

  it("gives up after the provider fails every create, and deletes the input file it had uploaded", async () => {
    const { ctx, team, user } = await makeTeam(e);
    const file = await makeFile(e, team.id, 3);
    // The sandbox, through a fault segment: call 1 uploads the file, calls 2, 4 and 6 (the creates)
    // answer 500, calls 3, 5 and 7 look for the batch by its metadata and find nothing.
    const baseUrl = `${e.url}/api/sandbox/openai/faults=500@2,500@4,500@6,run=${crypto.randomUUID()}/v1`;
    const flaky = await e.h.prisma.providerConnection.create({
      data: { teamId: team.id, kind: "openai-compatible", name: "Flaky", baseUrl, encryptedKey: encryptSecret(sandboxKeyForTeam(team.id)), keyLast4: "xxxx", createdById: user.id },
    });
    const err = await launchBatch(launchBatchInput.parse(launchInput(flaky.id, file.id)), ctx).catch((x: unknown) => x);
    expect(err).toBeInstanceOf(UserError);
    expect((err as Error).message).toMatch(/^The provider failed while receiving the batch \(HTTP 500\)/);
    expect(await e.h.prisma.batch.count({ where: { teamId: team.id } })).toBe(0);

    const client = await providerClient(e, flaky.id);
    expect((await client.files.list()).data).toEqual([]);
    expect((await client.batches.list()).data).toEqual([]);
    expect(fs.readdirSync(path.join(env().DATA_DIR, "tmp"))).toEqual([]);
  });
});
