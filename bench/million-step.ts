// `npm run bench -- --million`: a job of 1,000,000 requests (20 parts of 50,000, the Sandbox's
// limit a batch) through the real code paths, on one database: the upload handler, the launch
// form's estimate, launchJob (each part's input rebuilt from the rows, uploaded to the Sandbox over
// HTTP, created), the sync (syncBatch, as the worker calls it) until every part has ended and its
// results are ingested. Printed: each phase's seconds and peak RSS. The results page and the CSV
// export of the job then run in processes of their own (step.ts query / job-export).
// In bench/step.ts: `else if (step === "million") extra = await millionStep(prisma, files[0], sample);`
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import type { Db } from "@/lib/db/client";
import { setEnvForTests } from "@/lib/env";
import { handleUpload } from "@/lib/files/upload";
import { serve } from "@/lib/test/http";
import { isTerminal } from "@/lib/providers/status";
import { readEvents, uploadRequest } from "./upload-request";

/** How long the parts may take to run and be ingested before the step gives up. */
const RUN_LIMIT_MS = 90 * 60_000;

/** Samples the peak RSS of the phase running: `phase.name` is switched by the step. */
export interface PhaseSampler {
  name: string;
  peaks: Record<string, number>;
}

export async function millionStep(prisma: Db, file: string, sampler: PhaseSampler) {
  const round = (s: number) => Math.round(s * 100) / 100;
  let t = performance.now();
  const lap = Object.assign(
    () => {
      const s = (performance.now() - t) / 1000;
      t = performance.now();
      return round(s);
    },
    { peek: () => round((performance.now() - t) / 1000) },
  );
  // The Sandbox is this app's own route, reached at INTERNAL_URL: served here over real HTTP.
  const own = fs.mkdtempSync(path.join(path.dirname(file), "million-"));
  const { handleSandboxRequest } = await import("@/lib/providers/sandbox/server");
  const server = await serve(handleSandboxRequest);
  setEnvForTests({ DATA_DIR: own, INTERNAL_URL: server.url });
  const { createUserWithTeam } = await import("@/lib/teams/create");
  const { launchJob, launchOrQueue } = await import("@/lib/batches/jobs");
  const { launchJobInput } = await import("@/lib/batches/schemas");
  const { syncBatch } = await import("@/lib/batches/engine/sync");
  const { fileTokens } = await import("@/lib/tokens/file");
  const tag = crypto.randomBytes(4).toString("hex");
  const { user, team } = await createUserWithTeam(prisma, { email: `bench-${tag}@example.com`, name: "Bench", passwordHash: "x" });
  const connection = await prisma.providerConnection.findFirstOrThrow({ where: { teamId: team.id, kind: "sandbox" } });
  const ctx = { user: { id: user.id }, team: { id: team.id } };
  // As a server does when it starts (lib/server/start.ts): the token worker builds its table. Waited
  // for, as by a server up for a few seconds; how long it took is printed (the first upload after a
  // start, sooner than that, waits for the rest of it).
  const { preloadTokenizer } = await import("@/lib/tokens/off-thread");
  lap();
  await preloadTokenizer();
  const tableSeconds = lap();

  // Upload, for any provider: a file over one batch's limits is taken as a job of parts, up to
  // Batchboard's job limits (profiles.ts JOB_LIMITS), as the product takes it.
  let lines = 0;
  for await (const chunk of fs.createReadStream(file) as AsyncIterable<Buffer>) for (let i = chunk.indexOf(10); i >= 0; i = chunk.indexOf(10, i + 1)) lines++;
  lap();
  sampler.name = "upload";
  const res = await handleUpload(await uploadRequest(file), { teamId: team.id, userId: user.id }, { dataDir: own, maxUploadsPerUser: 0, quotaBytes: 0 });
  const events = await readEvents(res);
  const done = events.at(-1);
  if (res.status !== 200 || done?.type !== "done" || done.file?.status !== "valid") throw new Error(`bench upload failed: ${res.status} ${JSON.stringify(done).slice(0, 2000)}`);
  const uploadSeconds = lap();

  sampler.name = "estimate";
  const tokens = await fileTokens(prisma, team.id, done.file.id, { cacheDir: path.join(own, "token-counts") });
  const estimateFirstSeconds = lap();

  sampler.name = "launch";
  const input = launchJobInput.parse({
    connectionId: connection.id,
    inputFileId: done.file.id,
    endpoint: "/v1/chat/completions",
    completionWindow: "24h",
    name: "bench",
    idempotencyKey: crypto.randomUUID(),
    // Run at full speed: every request is answered the moment the batch is looked at.
    metadata: { sandbox_ms_per_request: "0" },
  });
  const single = lines <= 50_000;
  const launched = single ? await launchOrQueue(input, ctx) : await launchJob(input, ctx);
  const jobId = "jobId" in launched ? launched.jobId : null;
  const parts = await prisma.batch.findMany({ where: jobId ? { jobId } : { id: (launched as { batchId: string }).batchId }, orderBy: { jobPart: "asc" }, select: { id: true } });
  const launchSeconds = lap();

  // Sync as the worker does, each part in turn, until every part has ended with its results stored.
  sampler.name = "run and ingest";
  const open = new Set(parts.map((p) => p.id));
  const deadline = performance.now() + RUN_LIMIT_MS;
  let calls = 0;
  while (open.size) {
    for (const id of [...open]) {
      await syncBatch(prisma, id);
      calls++;
      const b = await prisma.batch.findUniqueOrThrow({ where: { id }, select: { status: true, resultsIngestedAt: true, lastSyncError: true } });
      if (isTerminal(b.status) && b.resultsIngestedAt) open.delete(id);
      else if (performance.now() > deadline) throw new Error(`part ${id} still ${b.status} after ${RUN_LIMIT_MS / 60_000} minutes: ${b.lastSyncError ?? "no error"}`);
    }
    process.stderr.write(`million: ${parts.length - open.size} of ${parts.length} parts ingested, ${lap.peek()} s\n`);
  }
  const runSeconds = lap();
  const results = await prisma.result.count({ where: { batchId: { in: parts.map((p) => p.id) } } });
  await server.close();
  fs.rmSync(own, { recursive: true, force: true });
  return {
    requests: done.file.requestCount,
    bytes: fs.statSync(file).size,
    uploadSeconds,
    estimateFirstSeconds,
    tableSeconds,
    inputTokens: tokens.models.reduce((a, m) => a + m.inputTokens, 0),
    launchSeconds,
    parts: parts.length,
    jobId,
    runSeconds,
    syncCalls: calls,
    results,
  };
}
