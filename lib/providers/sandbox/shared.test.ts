// Two instances on one PostgreSQL, each with a data folder of its own: a batch launched through
// instance A is served to completion by instance B's sandbox after A is gone (its server, its
// database handle and its data folder), and B's worker ingests every result. The sandbox's files
// live in the database, so nothing of it is on either disk.
import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDatabase, setDatabase, type DbHandle } from "@/lib/db/client";
import { resetEnvForTests, settings } from "@/lib/env";
import { launchBatch } from "@/lib/batches/engine/launch";
import { launchBatchInput } from "@/lib/batches/schemas";
import { startSyncWorker } from "@/lib/batches/engine/worker";
import { launchInput, makeFile, makeTeam, until, type Engine } from "@/lib/batches/engine/fixtures";
import { createTestDb } from "@/lib/test/db";
import { serve } from "@/lib/test/http";
import { handleSandboxRequest } from "./server";

const onPostgres = Boolean(settings().TEST_DATABASE_URL);
const saved = { ...process.env };
let owner: DbHandle; // makes the test database and drops it at the end
const dirs: string[] = [];

/** One instance: its data folder, its database handle, and the app's sandbox served over HTTP. */
async function instance(url: string) {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "bb-instance-"));
  dirs.push(dataDir);
  const h = await openDatabase({ url });
  const srv = await serve(handleSandboxRequest);
  const become = () => {
    // What differs between instances; the secrets are shared, as they must be on PostgreSQL.
    Object.assign(process.env, { DATA_DIR: dataDir, INTERNAL_URL: srv.url });
    resetEnvForTests();
    setDatabase(h);
  };
  become();
  return { dataDir, h, srv, become, engine: { h } as Engine };
}

beforeAll(async () => {
  if (!onPostgres) return;
  Object.assign(process.env, {
    AUTH_SECRET: crypto.randomBytes(32).toString("base64"),
    ENCRYPTION_KEY: crypto.randomBytes(32).toString("base64"),
    SYNC_MIN_INTERVAL_MS: "10",
    SYNC_MAX_INTERVAL_MS: "80",
  });
  resetEnvForTests();
  owner = await createTestDb();
});

afterAll(async () => {
  await owner?.close();
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
  process.env = saved;
  resetEnvForTests();
});

describe.skipIf(!onPostgres)("the sandbox shared by instances on one PostgreSQL (TEST_DATABASE_URL)", () => {
  it("a batch launched through instance A completes through instance B once A is gone, and its results are ingested", async () => {
    const a = await instance(owner.url!);
    const { ctx, connection, team } = await makeTeam(a.engine);
    const file = await makeFile(a.engine, team.id, 30, { failing: [4] });
    const input = launchBatchInput.parse(launchInput(connection.id, file.id, { metadata: { sandbox_ms_per_request: "30" } }));
    const { batchId } = await launchBatch(input, ctx);
    const launched = await a.h.prisma.batch.findUniqueOrThrow({ where: { id: batchId } });
    expect(launched.status).not.toBe("COMPLETED");

    // A goes down: its server, its database handle, and its data folder with it.
    await a.srv.close();
    await a.h.close();
    fs.rmSync(a.dataDir, { recursive: true, force: true });

    const b = await instance(owner.url!);
    const worker = startSyncWorker({ owner: "instance-b", prisma: b.h.prisma, manual: true });
    const done = await until(b.engine, batchId, () => worker.runOnce(), 30_000);
    await worker.stop();

    expect(done).toMatchObject({ status: "COMPLETED", total: 30, completed: 29, failed: 1, resultCount: 30, lastSyncError: null });
    const results = await b.h.prisma.result.findMany({ where: { batchId }, orderBy: { line: "asc" } });
    expect(results.map((r) => r.customId)).toEqual(Array.from({ length: 30 }, (_, i) => `req-${String(i + 1).padStart(4, "0")}`));
    expect(results.filter((r) => !r.succeeded).map((r) => r.customId)).toEqual(["req-0005"]);
    expect(results.find((r) => r.customId === "req-0001")?.content).toContain("Question number 1");
    // Nothing on B's disk: the sandbox kept nothing there (and the secrets come from the environment).
    expect(fs.readdirSync(b.dataDir)).toEqual([]);
    await b.srv.close();
    await b.h.close();
  });
});
