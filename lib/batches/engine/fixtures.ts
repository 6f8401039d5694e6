// Test set-up shared by the batch engine's tests: a fresh database, the sandbox provider served over
// real HTTP (behind a recording proxy), a team with its Sandbox connection and valid input files.
import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { DbHandle } from "@/lib/db/client";
import { setEnvForTests } from "@/lib/env";
import { handleSandboxRequest } from "@/lib/providers/sandbox/server";
import { createUserWithTeam } from "@/lib/teams/create";
import { createTestDb } from "@/lib/test/db";
import { serve, type FetchHandler } from "@/lib/test/http";
import type { Batch, Prisma } from "@/lib/generated/prisma/client";
import { encryptSecret } from "@/lib/crypto";
import { sandboxKeyForTeam } from "@/lib/providers/sandbox/keys";
import { isTerminal } from "@/lib/providers/status";
import type { ProviderAdapter } from "@/lib/providers/adapter";
import { loadConnection } from "@/lib/providers/adapters";
import { openaiClientOf } from "@/lib/providers/openai-compatible/client.fixtures";

export interface CallRecord {
  method: string;
  /** The path after the last "/v1/", e.g. "batches/batch_x" or "files/file-x/content". */
  route: string;
}

export interface Engine {
  h: DbHandle;
  url: string;
  calls: CallRecord[];
  /** Runs before the sandbox answers; may answer instead (fault injection). */
  intercept: { fn?: (req: Request, route: string) => Promise<Response | undefined> };
  close(): Promise<void>;
}

export const routeOf = (url: string) => {
  const p = new URL(url).pathname;
  const i = p.lastIndexOf("/v1/");
  return i < 0 ? p : p.slice(i + 4);
};

export async function startEngine(settings: Record<string, string> = {}): Promise<Engine> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "bb-engine-"));
  setEnvForTests({ DATA_DIR: dataDir, SYNC_MIN_INTERVAL_MS: "10", SYNC_MAX_INTERVAL_MS: "80", ...settings });
  const h = await createTestDb();
  const calls: CallRecord[] = [];
  const intercept: Engine["intercept"] = {};
  const handler: FetchHandler = async (req) => {
    const route = routeOf(req.url);
    calls.push({ method: req.method, route });
    return (await intercept.fn?.(req, route)) ?? handleSandboxRequest(req);
  };
  const s = await serve(handler);
  setEnvForTests({ INTERNAL_URL: s.url });
  return {
    h,
    url: s.url,
    calls,
    intercept,
    async close() {
      await s.close();
      await h.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export async function makeTeam(e: Engine) {
  const tag = crypto.randomBytes(4).toString("hex");
  const { user, team } = await createUserWithTeam(e.h.prisma, { email: `u-${tag}@example.com`, name: `User ${tag}`, passwordHash: "x" });
  const connection = await e.h.prisma.providerConnection.findFirstOrThrow({ where: { teamId: team.id, kind: "sandbox" } });
  return { user, team, connection, ctx: { user: { id: user.id }, team: { id: team.id } } };
}

/** A "Custom OpenAI-compatible" connection named Acme on the sandbox's OpenAI imitation, with the team's own limits. */
export async function customConnection(e: Engine, t: { team: { id: string }; user: { id: string } }, data: { limits?: Prisma.InputJsonValue; queueLimits?: Prisma.InputJsonValue } = {}) {
  return e.h.prisma.providerConnection.create({
    data: {
      teamId: t.team.id,
      kind: "openai-compatible",
      name: "Acme",
      baseUrl: `${e.url}/api/sandbox/openai/v1`,
      encryptedKey: encryptSecret(sandboxKeyForTeam(t.team.id)),
      keyLast4: "test",
      createdById: t.user.id,
      ...data,
    },
  });
}

/** A valid chat-completions file of `n` requests; those in `failing` carry the sandbox's "[fail]". */
export async function makeFile(e: Engine, teamId: string, n: number, opts: { failing?: number[]; models?: string[] } = {}) {
  const models = opts.models ?? ["batch-test-model"];
  const file = await e.h.prisma.inputFile.create({
    data: {
      teamId,
      name: `questions-${n}.jsonl`,
      format: "jsonl",
      bytes: BigInt(n * 120),
      lineCount: n,
      requestCount: n,
      endpoint: "/v1/chat/completions",
      models,
      status: "valid",
    },
  });
  const failing = new Set(opts.failing ?? []);
  await e.h.prisma.request.createMany({
    data: Array.from({ length: n }, (_, i) => {
      const content = `Question number ${i + 1}${failing.has(i) ? " [fail]" : ""}`;
      return {
        fileId: file.id,
        line: i + 1,
        customId: `req-${String(i + 1).padStart(4, "0")}`,
        model: models[i % models.length],
        prompt: content,
        body: { model: models[i % models.length], messages: [{ role: "user", content }], max_tokens: 50 },
      };
    }),
  });
  return file;
}

export const launchInput = (connectionId: string, inputFileId: string, extra: Partial<Record<string, unknown>> = {}) => ({
  connectionId,
  inputFileId,
  endpoint: "/v1/chat/completions",
  completionWindow: "24h",
  name: "Test batch",
  idempotencyKey: crypto.randomUUID(),
  metadata: { sandbox_ms_per_request: "20" },
  ...extra,
});

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Calls `tick` until the batch is over and its results are in (or the time runs out). */
export async function until(e: Engine, batchId: string, tick: () => Promise<unknown>, timeoutMs = 20_000): Promise<Batch> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const b = await e.h.prisma.batch.findUniqueOrThrow({ where: { id: batchId } });
    if (isTerminal(b.status) && b.resultsIngestedAt) return b;
    if (Date.now() > deadline) throw new Error(`batch ${batchId} still ${b.status} (ingested: ${!!b.resultsIngestedAt}) after ${timeoutMs} ms`);
    await tick();
    await sleep(15);
  }
}

/** The openai SDK on a connection, as another client of the provider would use it: to look at what the engine sent. */
export const providerClient = (e: Engine, connectionId: string) => openaiClientOf(e.h.prisma, connectionId);

/** The adapter the engine uses for a connection (as the sync worker loads it). */
export async function adapterOf(e: Engine, connectionId: string): Promise<ProviderAdapter> {
  return (await loadConnection(e.h.prisma, null, connectionId, { maxRetries: 0, timeoutMs: 60_000 })).adapter;
}
