// Deleting a file: its requests go with it and its bytes no longer count against the team's quota;
// a file a batch ran on, one still uploading, a viewer's try and another team's file are refused.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { TeamContext } from "@/lib/auth/context";
import type { DbHandle } from "@/lib/db/client";
import { createTestDb } from "@/lib/test/db";
import { seedBatch, seedTeam } from "@/lib/results/results.fixtures";
import { deleteFile, fileUsage } from "./delete";
import { storedBytes } from "./quota";

let h: DbHandle;
let t: Awaited<ReturnType<typeof seedTeam>>;
let member: Pick<TeamContext, "team" | "user" | "role">;

beforeAll(async () => {
  h = await createTestDb();
  t = await seedTeam(h.prisma, "del");
  member = { team: { id: t.team.id, name: "T", personal: true }, user: { id: t.user.id, email: t.user.email, name: t.user.name }, role: "MEMBER" };
});
afterAll(() => h.close());

async function file(status = "valid", bytes = 5000) {
  const f = await h.prisma.inputFile.create({ data: { teamId: t.team.id, name: `f-${status}.jsonl`, format: "jsonl", bytes: BigInt(bytes), endpoint: "/v1/chat/completions", status, createdById: t.user.id } });
  await h.prisma.request.create({ data: { fileId: f.id, line: 1, customId: "a", body: { model: "m" } } });
  return f.id;
}

describe("deleteFile", () => {
  it("removes a file and its requests, freeing its bytes under the quota, and records who did", async () => {
    const id = await file();
    const before = await storedBytes(h.prisma, t.team.id);
    expect(await deleteFile(h.prisma, member, id)).toEqual({ name: "f-valid.jsonl", bytes: 5000 });
    expect(await h.prisma.inputFile.count({ where: { id } })).toBe(0);
    expect(await h.prisma.request.count({ where: { fileId: id } })).toBe(0);
    expect(await storedBytes(h.prisma, t.team.id)).toBe(before - 5000);
    expect(await h.prisma.auditEvent.findFirst({ where: { action: "file.deleted", targetId: id } })).toMatchObject({ actorId: t.user.id });
  });

  it("keeps a file a batch ran on, one still uploading, and refuses viewers and other teams", async () => {
    const { file: used } = await seedBatch(h.prisma, t, [{ customId: "k", prompt: "p", result: { ok: true, content: "a" } }]);
    await expect(deleteFile(h.prisma, member, used.id)).rejects.toThrow("1 batch ran on this file: it stays while they do, since their results are shown beside its requests.");
    const uploading = await file("uploading");
    await expect(deleteFile(h.prisma, member, uploading)).rejects.toThrow(/still being uploaded/);
    const id = await file("invalid");
    await expect(deleteFile(h.prisma, { ...member, role: "VIEWER" }, id)).rejects.toThrow("Deleting files needs the member role or above.");
    const other = await seedTeam(h.prisma, "other");
    await expect(deleteFile(h.prisma, { ...member, team: { id: other.team.id, name: "O", personal: true } }, id)).rejects.toThrow("That file was not found.");
    expect(await h.prisma.inputFile.count({ where: { id: { in: [used.id, uploading, id] } } })).toBe(3);
  });

  it("shows what uses a file first: a running batch, a job's waiting parts, the template it was mapped with", async () => {
    const { file: running, batch } = await seedBatch(h.prisma, t, [{ customId: "r", prompt: "p" }], { status: "IN_PROGRESS", rawStatus: "in_progress" });
    const usage = await fileUsage(h.prisma, t.team.id, running.id);
    expect(usage).toMatchObject({ batches: [{ id: batch.id, name: "Test batch", running: true }], jobs: [], template: null });
    expect(usage?.blocked).toBe("1 batch is still running on this file: it stays while they send its requests. Cancel it or wait for the end.");

    const queued = await file();
    const job = await h.prisma.job.create({ data: { teamId: t.team.id, name: "Split", inputFileId: queued } });
    await h.prisma.queuedPart.create({ data: { teamId: t.team.id, jobId: job.id, connectionId: t.connection.id, part: 1, fromLine: 1, toLine: 1, requests: 1, bytes: 10 } });
    expect(await fileUsage(h.prisma, t.team.id, queued)).toMatchObject({ jobs: [{ id: job.id, name: "Split", queuedParts: 1 }] });
    await expect(deleteFile(h.prisma, member, queued)).rejects.toThrow("1 part of a job still waits to launch from this file: it stays until they are launched or cancelled.");

    const template = await h.prisma.promptTemplate.create({ data: { teamId: t.team.id, name: "Reviews", mapping: {} } });
    const mapped = await h.prisma.inputFile.create({ data: { teamId: t.team.id, name: "rows.csv", format: "csv", bytes: 10n, endpoint: "/v1/chat/completions", status: "invalid", csv: { templateId: template.id } } });
    expect(await fileUsage(h.prisma, t.team.id, mapped.id)).toEqual({ batches: [], jobs: [], template: { id: template.id, name: "Reviews" }, blocked: null });
    await deleteFile(h.prisma, member, mapped.id);
    expect(await h.prisma.promptTemplate.count({ where: { id: template.id } })).toBe(1);
    expect(await fileUsage(h.prisma, t.team.id, mapped.id)).toBeNull();
  });
});
