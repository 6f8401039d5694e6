// A file over a custom connection's limits launched as a job of several batches, over real HTTP
// against the sandbox: each part gets its own lines, syncs to its end and every result is stored
// once; a repeated launch creates nothing new; a refused part keeps the parts before it and the rest
// launch later; another team sees nothing; the combined CSV has one header and every row in order.
import fs from "node:fs";
import path from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { blobText } from "@/lib/providers/sandbox/blobs";
import type { Prisma } from "@/lib/generated/prisma/client";
import { cancelJob, jobIdFor, launchJob, launchRemainingParts, planSplit } from "./jobs";
import { getJobView, jobForExport, jobResultsCsv, partOfJob } from "./read/job-view";
import { launchBatch } from "@/lib/batches/engine/launch";
import { launchBatchInput, launchJobInput } from "./schemas";
import { syncBatch } from "@/lib/batches/engine/sync";
import { customConnection, launchInput, makeFile, makeTeam, startEngine, until, type Engine } from "@/lib/batches/engine/fixtures";

let e: Engine;
beforeAll(async () => {
  e = await startEngine();
});
afterAll(() => e.close());
afterEach(() => {
  e.intercept.fn = undefined;
});

async function setup(limits: Prisma.InputJsonValue = { maxRequests: 4 }) {
  const t = await makeTeam(e);
  return { ...t, connection: await customConnection(e, t, { limits }) };
}

const jobInputFor = (connectionId: string, fileId: string, extra: Record<string, unknown> = {}) =>
  launchJobInput.parse(launchInput(connectionId, fileId, { name: "Translations", metadata: { sandbox_ms_per_request: "3" }, ...extra }));

const sentBatches = () => e.calls.filter((c) => c.method === "POST" && c.route === "batches").length;

async function providerLines(batchId: string) {
  const b = await e.h.prisma.batch.findUniqueOrThrow({ where: { id: batchId } });
  const f = await e.h.prisma.sandboxFile.findUniqueOrThrow({ where: { id: b.providerInputFileId! } });
  return (await blobText(e.h.prisma, f.id)).trim().split("\n").map((l) => JSON.parse(l) as { custom_id: string });
}

describe("a job of 3 parts on a connection that takes 4 requests a batch", () => {
  it("plans 4 + 4 + 2, launches each part with its lines, syncs them all and stores every result once", async () => {
    const { ctx, team, connection } = await setup();
    const file = await makeFile(e, team.id, 10, { failing: [5] });

    const plan = await planSplit({ connectionId: connection.id, inputFileId: file.id, endpoint: file.endpoint }, ctx);
    expect(plan).toMatchObject({ connection: "Acme", maxRequests: 4, reasons: ["requests"], requests: 10 });
    expect(plan.parts.map((p) => [p.part, p.fromLine, p.toLine, p.requests])).toEqual([
      [1, 1, 4, 4],
      [2, 5, 8, 4],
      [3, 9, 10, 2],
    ]);

    // A single launch is still refused (unchanged): the file is over the limit.
    await expect(launchBatch(launchBatchInput.parse(launchInput(connection.id, file.id)), ctx)).rejects.toThrow("over Acme's limit of 4 per batch");

    const input = jobInputFor(connection.id, file.id);
    const before = sentBatches();
    const out = await launchJob(input, ctx);
    expect(out).toEqual({ jobId: jobIdFor(team.id, input.idempotencyKey), launched: 3, parts: 3 });
    expect(sentBatches() - before).toBe(3);
    // The job keeps what its parts are launched with.
    expect(await e.h.prisma.job.findUniqueOrThrow({ where: { id: out.jobId } })).toMatchObject({
      plannedParts: 3,
      settings: { connectionId: connection.id, endpoint: file.endpoint, completionWindow: "24h", key: input.idempotencyKey, metadata: { sandbox_ms_per_request: "3" } },
    });

    const parts = await e.h.prisma.batch.findMany({ where: { jobId: out.jobId }, orderBy: { jobPart: "asc" } });
    expect(parts.map((p) => [p.jobPart, p.fromLine, p.toLine, p.total, p.name])).toEqual([
      [1, 1, 4, 4, "Translations"],
      [2, 5, 8, 4, "Translations"],
      [3, 9, 10, 2, "Translations"],
    ]);
    // Each provider file holds its part's lines only, and the provider sees which part it is.
    expect((await providerLines(parts[1].id)).map((l) => l.custom_id)).toEqual(["req-0005", "req-0006", "req-0007", "req-0008"]);
    const remote = await e.h.prisma.sandboxBatch.findUniqueOrThrow({ where: { id: parts[2].providerBatchId! } });
    expect(remote.metadata).toMatchObject({ name: "Translations (part 3 of 3)" });

    // The same form again (double click, retried request): nothing new is sent.
    const sent = sentBatches();
    expect(await launchJob(input, ctx)).toEqual(out);
    expect(sentBatches()).toBe(sent);
    expect(await e.h.prisma.batch.count({ where: { teamId: team.id } })).toBe(3);
    expect(await e.h.prisma.job.count({ where: { teamId: team.id } })).toBe(1);

    for (const p of parts) await until(e, p.id, () => syncBatch(e.h.prisma, p.id));
    const results = await e.h.prisma.result.findMany({ where: { batchId: { in: parts.map((p) => p.id) } }, select: { customId: true, batchId: true, succeeded: true } });
    expect(results.map((r) => r.customId).sort()).toEqual(Array.from({ length: 10 }, (_, i) => `req-${String(i + 1).padStart(4, "0")}`));
    expect(results.filter((r) => !r.succeeded).map((r) => r.customId)).toEqual(["req-0006"]); // failing index 5 = line 6
    expect(results.filter((r) => r.batchId === parts[2].id).map((r) => r.customId).sort()).toEqual(["req-0009", "req-0010"]);

    const view = await getJobView(e.h.prisma, team.id, out.jobId);
    expect(view).toMatchObject({ name: "Translations", status: "COMPLETED", total: 10, completed: 9, failed: 1, resultCount: 10, plannedParts: 3, refused: null, live: false });
    expect(view!.connection).toMatchObject({ name: "Acme" });
    expect(view!.parts.map((p) => p.part)).toEqual([1, 2, 3]);
    const last = view!.points[view!.points.length - 1];
    expect(last).toMatchObject({ completed: 9, failed: 1 });
    // The combined curve only climbs.
    expect(view!.points.every((p, i) => i === 0 || p.completed + p.failed >= view!.points[i - 1].completed + view!.points[i - 1].failed)).toBe(true);

    expect(await partOfJob(e.h.prisma, team.id, parts[1].id)).toEqual({ part: 2, of: 3, job: { id: out.jobId, name: "Translations" } });

    // The combined CSV: one header, the ten rows in input order.
    const exp = await jobForExport(e.h.prisma, team.id, out.jobId);
    let csv = "";
    for await (const chunk of jobResultsCsv(e.h.prisma, exp!.partIds, { bom: true })) csv += chunk.toString();
    const rows = csv.trimEnd().split("\r\n");
    expect(rows[0].startsWith("\ufeffcustom_id,")).toBe(true);
    expect(rows.filter((r) => r.includes("custom_id"))).toHaveLength(1);
    expect(rows.slice(1).map((r) => r.split(",")[0])).toEqual(Array.from({ length: 10 }, (_, i) => `req-${String(i + 1).padStart(4, "0")}`));

    // Another team sees nothing of it.
    const other = await makeTeam(e);
    expect(await getJobView(e.h.prisma, other.team.id, out.jobId)).toBeNull();
    expect(await jobForExport(e.h.prisma, other.team.id, out.jobId)).toBeNull();
    expect(await partOfJob(e.h.prisma, other.team.id, parts[0].id)).toBeNull();
    await expect(launchRemainingParts(out.jobId, other.ctx)).rejects.toThrow("That job was not found.");
    await expect(cancelJob(out.jobId, other.ctx)).rejects.toThrow("That job was not found.");
    // Nor can another team's launch with the same key reach this job.
    expect(jobIdFor(other.team.id, input.idempotencyKey)).not.toBe(out.jobId);
  });
});

describe("idempotency", () => {
  it("two launches of one form at the same moment (double click) make one job and each part once", async () => {
    const { ctx, team, connection } = await setup();
    const file = await makeFile(e, team.id, 10);
    const input = jobInputFor(connection.id, file.id);
    const before = sentBatches();
    const [a, b] = await Promise.all([launchJob(input, ctx), launchJob(input, ctx)]);
    expect(a.jobId).toBe(b.jobId);
    expect(await e.h.prisma.job.count({ where: { teamId: team.id } })).toBe(1);
    const parts = await e.h.prisma.batch.findMany({ where: { teamId: team.id }, orderBy: { jobPart: "asc" }, select: { jobPart: true } });
    expect(parts.map((p) => p.jobPart)).toEqual([1, 2, 3]);
    expect(sentBatches() - before).toBe(3);
  });
});

describe("one model per batch", () => {
  it("splits a file of two models (each together) into one part per model, each sent with its model only", async () => {
    const { ctx, team, connection } = await setup({ oneModelPerBatch: true });
    const file = await makeFile(e, team.id, 6, { models: ["model-a", "model-b"] });
    // makeFile cycles the models; sort them: lines 1-3 model-a, 4-6 model-b.
    for (const r of await e.h.prisma.request.findMany({ where: { fileId: file.id } })) {
      const model = r.line <= 3 ? "model-a" : "model-b";
      await e.h.prisma.request.update({ where: { id: r.id }, data: { model, body: { ...(r.body as object), model } } });
    }
    const out = await launchJob(jobInputFor(connection.id, file.id), ctx);
    expect(out).toMatchObject({ launched: 2, parts: 2 });
    const parts = await e.h.prisma.batch.findMany({ where: { jobId: out.jobId }, orderBy: { jobPart: "asc" } });
    expect(parts.map((p) => [p.fromLine, p.toLine])).toEqual([
      [1, 3],
      [4, 6],
    ]);
    const sent = await providerLines(parts[1].id);
    expect(sent.map((l) => (l as unknown as { body: { model: string } }).body.model)).toEqual(["model-b", "model-b", "model-b"]);
  });

  it("refuses interleaved models past the cap, naming them and asking to sort the file", async () => {
    const { ctx, team, connection } = await setup({ oneModelPerBatch: true });
    const file = await makeFile(e, team.id, 60, { models: ["model-a", "model-b"] });
    await expect(planSplit({ connectionId: connection.id, inputFileId: file.id, endpoint: file.endpoint }, ctx)).rejects.toThrow(
      /^Acme takes one model per batch, and this file's models are interleaved \(model-a, model-b\).*Sort the file by model/,
    );
    await expect(launchJob(jobInputFor(connection.id, file.id), ctx)).rejects.toThrow(/interleaved/);
    expect(await e.h.prisma.job.count({ where: { teamId: team.id } })).toBe(0);
  });
});

describe("a part the provider refuses", () => {
  const refuse = (n: number) => {
    let seen = 0;
    e.intercept.fn = async (req, route) => {
      if (req.method !== "POST" || route !== "batches") return undefined;
      seen++;
      if (seen !== n) return undefined;
      return Response.json({ error: { message: "Enqueued token limit reached for this organization.", type: "invalid_request_error", code: "token_limit", param: null } }, { status: 400 });
    };
  };

  it("is reported with its number and the provider's words; the parts before it stay and the rest launch later", async () => {
    const { ctx, team, connection } = await setup();
    const file = await makeFile(e, team.id, 10);
    refuse(2);
    // Slow parts, so that they still run when "cancel all" comes.
    const out = await launchJob(jobInputFor(connection.id, file.id, { metadata: { sandbox_ms_per_request: "5000" } }), ctx);
    expect(out.launched).toBe(1);
    expect(out.parts).toBe(3);
    expect(out.refused).toEqual({ part: 2, message: "The provider refused the batch (HTTP 400): Enqueued token limit reached for this organization." });
    expect(await e.h.prisma.batch.count({ where: { jobId: out.jobId } })).toBe(1);

    const view = await getJobView(e.h.prisma, team.id, out.jobId);
    expect(view).toMatchObject({ plannedParts: 3, refused: { part: 2, message: out.refused!.message } });
    expect(view!.parts).toHaveLength(1);

    e.intercept.fn = undefined;
    const again = await launchRemainingParts(out.jobId, ctx);
    expect(again).toEqual({ jobId: out.jobId, launched: 3, parts: 3 });
    const parts = await e.h.prisma.batch.findMany({ where: { jobId: out.jobId }, orderBy: { jobPart: "asc" } });
    expect(parts.map((p) => [p.jobPart, p.fromLine, p.toLine])).toEqual([
      [1, 1, 4],
      [2, 5, 8],
      [3, 9, 10],
    ]);
    expect((await getJobView(e.h.prisma, team.id, out.jobId))!.refused).toBeNull();
    // Launching the remaining parts again: nothing is left, nothing is sent.
    const sent = sentBatches();
    expect(await launchRemainingParts(out.jobId, ctx)).toEqual(again);
    expect(sentBatches()).toBe(sent);

    // Cancel all: every part still running is asked.
    const cancelled = await cancelJob(out.jobId, ctx);
    expect(cancelled).toEqual({ cancelled: 3, failures: [] });
    const statuses = await e.h.prisma.batch.findMany({ where: { jobId: out.jobId }, select: { status: true } });
    expect(statuses.every((s) => ["CANCELLING", "CANCELLED"].includes(s.status))).toBe(true);
    await expect(cancelJob(out.jobId, ctx)).rejects.toThrow("No part of this job is still running or waiting.");
  });

  it("when it is the first, nothing is kept and the message says so", async () => {
    const { ctx, team, connection } = await setup();
    const file = await makeFile(e, team.id, 10);
    refuse(1);
    await expect(launchJob(jobInputFor(connection.id, file.id), ctx)).rejects.toThrow(
      "Nothing was launched: part 1 of 3 was refused. The provider refused the batch (HTTP 400): Enqueued token limit reached for this organization.",
    );
    expect(await e.h.prisma.job.count({ where: { teamId: team.id } })).toBe(0);
    expect(await e.h.prisma.batch.count({ where: { teamId: team.id } })).toBe(0);
  });
});

describe("what a job refuses", () => {
  it("a file that fits one batch", async () => {
    const { ctx, team, connection } = await setup({ maxRequests: 10 });
    const file = await makeFile(e, team.id, 10);
    await expect(launchJob(jobInputFor(connection.id, file.id), ctx)).rejects.toThrow('"questions-10.jsonl" fits in one batch on Acme: launch it as one batch.');
  });

  it("a line over the line limit, naming it, before anything is sent", async () => {
    const { ctx, team, connection } = await setup({ maxRequests: 4, maxLineBytes: 2048, maxFileBytes: 4096 });
    const file = await makeFile(e, team.id, 6);
    const row = await e.h.prisma.request.findFirstOrThrow({ where: { fileId: file.id, line: 5 } });
    await e.h.prisma.request.update({ where: { id: row.id }, data: { body: { model: "batch-test-model", messages: [{ role: "user", content: "x".repeat(3000) }] } } });
    const sent = e.calls.length;
    await expect(launchJob(jobInputFor(connection.id, file.id), ctx)).rejects.toThrow(/^Line 5 is 0\.0 MB, over Acme's limit of 0\.0 MB per line\. A line cannot be split across batches/);
    expect(e.calls.length).toBe(sent);
    expect(await e.h.prisma.job.count({ where: { teamId: team.id } })).toBe(0);
  });

  it("splits by bytes when the file is over the size limit", async () => {
    const { ctx, team, connection } = await setup({ maxFileBytes: 1024, maxLineBytes: 1024 });
    const file = await makeFile(e, team.id, 12);
    const plan = await planSplit({ connectionId: connection.id, inputFileId: file.id, endpoint: file.endpoint }, ctx);
    expect(plan.reasons).toEqual(["bytes"]);
    expect(plan.parts.length).toBeGreaterThan(1);
    expect(plan.parts.every((p) => p.bytes <= 1024)).toBe(true);
    const out = await launchJob(jobInputFor(connection.id, file.id), ctx);
    expect(out.launched).toBe(plan.parts.length);
    for (const p of await e.h.prisma.batch.findMany({ where: { jobId: out.jobId } })) {
      const remote = await e.h.prisma.sandboxFile.findUniqueOrThrow({ where: { id: p.providerInputFileId! } });
      expect(remote.bytes).toBeLessThanOrEqual(1024);
    }
  });
});

describe("jobs launched before Job.settings existed", () => {
  it("get their settings and planned parts from their audit events when the migration runs", async () => {
    const { team, connection } = await setup();
    const file = await makeFile(e, team.id, 10);
    const job = await e.h.prisma.job.create({ data: { teamId: team.id, name: "Old", inputFileId: file.id } });
    const launched = { connectionId: connection.id, endpoint: file.endpoint, completionWindow: "24h", key: "k-old", parts: 2, name: "Old", file: file.name, connection: "Acme", requests: 10 };
    await e.h.prisma.auditEvent.createMany({
      data: [
        { teamId: team.id, action: "job.launched", targetType: "job", targetId: job.id, data: launched },
        { teamId: team.id, action: "job.resumed", targetType: "job", targetId: job.id, data: { parts: 3, from: 2 } },
      ],
    });
    // The migration's backfill, as it runs on a database of before it.
    const migration = fs.readFileSync(path.join(process.cwd(), "prisma/migrations/20261202201802_job_settings/migration.sql"), "utf8");
    await e.h.prisma.$executeRawUnsafe(migration.slice(migration.indexOf("UPDATE")));
    expect(await e.h.prisma.job.findUniqueOrThrow({ where: { id: job.id } })).toMatchObject({
      plannedParts: 3,
      settings: { connectionId: connection.id, endpoint: file.endpoint, completionWindow: "24h", key: "k-old" },
    });
    expect((await e.h.prisma.job.findUniqueOrThrow({ where: { id: job.id } })).settings).not.toHaveProperty("parts");
  });
});
