// One limiter per connection, over real HTTP to a fake provider: the profile's documented limits are
// counted in the database (so two loads of one connection, say the worker's and a launch's, share
// them), a 429 slows that connection only, for as long as its Retry-After says, and a call held
// back never reaches the provider.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DbHandle } from "@/lib/db/client";
import { encryptSecret } from "@/lib/crypto";
import { createTestDb } from "@/lib/test/db";
import { serve } from "@/lib/test/http";
import { makeUser, useTempDataDir } from "@/lib/teams/fixtures";
import { loadConnection } from "./adapters";
import { openaiBatchAdapter } from "./openai-compatible/adapter";
import { ConnectionThrottled, limitedAdapter } from "./limiter";
import { bailianProfile } from "./bailian/profile";

let h: DbHandle;
let server: { url: string; close(): Promise<void> };
const calls: string[] = [];
/** Paths the fake provider answers with 429 (Retry-After: 20). */
const limited = new Set<string>();

const batchJson = (id: string) => ({
  id,
  object: "batch",
  endpoint: "/v1/chat/completions",
  input_file_id: "file-batch-1",
  completion_window: "24h",
  status: "in_progress",
  created_at: 1_760_000_000,
  request_counts: { total: 3, completed: 1, failed: 0 },
});

beforeAll(async () => {
  useTempDataDir();
  h = await createTestDb();
  server = await serve(async (req) => {
    const { pathname } = new URL(req.url);
    calls.push(`${req.method} ${pathname}`);
    if ([...limited].some((p) => pathname.startsWith(p))) {
      return Response.json({ code: "Throttling", message: "Requests rate limit exceeded" }, { status: 429, headers: { "retry-after": "20" } });
    }
    const m = pathname.match(/\/v1\/(a|b)\/batches\/([^/]+)$/);
    if (m) return Response.json(batchJson(m[2]));
    if (pathname.endsWith("/batches")) return Response.json({ object: "list", data: [batchJson("batch_1")], has_more: false });
    return Response.json({ error: { message: "not here" } }, { status: 404 });
  });
});
afterAll(async () => {
  await server?.close();
  await h?.close();
});

async function bailianConnection(teamId: string, path: "a" | "b") {
  return h.prisma.providerConnection.create({
    data: { teamId, kind: "bailian", name: `Bailian ${path}`, baseUrl: `${server.url}/v1/${path}`, encryptedKey: encryptSecret("sk-test-12345678"), keyLast4: "5678" },
  });
}

describe("the connection's limiter", () => {
  it("hands on every capability of the adapter it wraps (a method left out is a capability lost)", () => {
    const inner = openaiBatchAdapter.connect({ kind: "moonshot", baseUrl: `${server.url}/v1/x`, apiKey: "sk-test-12345678", profile: bailianProfile }, { maxRetries: 0 });
    const wrapped = limitedAdapter(h.prisma, { id: "c", name: "c" }, bailianProfile, inner);
    const methods = (o: object) => Object.keys(o).filter((k) => typeof (o as Record<string, unknown>)[k] === "function").sort();
    expect(methods(wrapped)).toEqual(methods(inner));
  });

  it("counts the profile's per-minute limits per connection, shared by every load of it, and sends nothing over them", async () => {
    const { team } = await makeUser(h.prisma, "Limits");
    const c = await bailianConnection(team.id, "a");
    const other = await bailianConnection(team.id, "b");
    // Bailian's own profile, its limits made small enough to reach in a test.
    const profile = { ...bailianProfile, capabilities: { ...bailianProfile.capabilities, rateLimits: { retrieve: 3, list: 1 } } };
    const connect = (id: string, name: string, path: string) =>
      limitedAdapter(h.prisma, { id, name }, profile, openaiBatchAdapter.connect({ kind: "bailian", baseUrl: `${server.url}/v1/${path}`, apiKey: "sk-test-12345678", profile }, { maxRetries: 0 }));
    // Two adapters of one connection (the worker's, a launch's): one count.
    const worker = connect(c.id, c.name, "a");
    const launch = connect(c.id, c.name, "a");
    await worker.retrieve("batch_1");
    await launch.retrieve("batch_2");
    await worker.retrieve("batch_3");
    const before = calls.length;
    const err = await launch.retrieve("batch_4").catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConnectionThrottled);
    expect((err as ConnectionThrottled).message).toMatch(/holding back calls to Bailian a for \d+ s: Alibaba Bailian \(DashScope\) takes at most 3 retrieve calls a minute/);
    expect(calls.length).toBe(before);
    const f = launch.classify(err);
    expect(f).toMatchObject({ retryable: true, sent: "no" });
    expect(f.retryAfterMs).toBeGreaterThan(50_000);
    expect(f.retryAfterMs).toBeLessThanOrEqual(60_000);
    // Each kind of call has its own count; another connection has its own.
    expect((await launch.list({}, { max: 10 })).items).toHaveLength(1);
    await expect(worker.list({}, { max: 10 })).rejects.toThrow(/at most 1 list calls a minute/);
    const b = connect(other.id, other.name, "b");
    await b.retrieve("batch_1");
    expect(calls.at(-1)).toBe("GET /v1/b/batches/batch_1");
  });

  it("slows the one connection that got a 429, for the Retry-After, for every caller", async () => {
    const { team } = await makeUser(h.prisma, "Backoff");
    const a = await bailianConnection(team.id, "a");
    const b = await bailianConnection(team.id, "b");
    limited.add("/v1/a/batches/slow");
    try {
      const worker = await loadConnection(h.prisma, null, a.id, { maxRetries: 0 });
      const t = Date.now();
      const err = await worker.adapter.retrieve("slow").catch((e: unknown) => e);
      // The provider's own words (DashScope's {code, message}) and its wait.
      expect(worker.adapter.classify(err)).toMatchObject({ status: 429, retryable: true, retryAfterMs: 20_000 });
      const row = await h.prisma.providerConnection.findUniqueOrThrow({ where: { id: a.id } });
      expect(row.backoffUntil!.getTime() - t).toBeGreaterThanOrEqual(19_000);
      expect(row.backoffUntil!.getTime() - t).toBeLessThanOrEqual(21_000);

      // Another load of the same connection (a launch, an import) waits too, without calling.
      const launch = await loadConnection(h.prisma, team.id, a.id, { maxRetries: 0 });
      const before = calls.length;
      const held = await launch.adapter.retrieve("batch_9").catch((e: unknown) => e);
      expect(held).toBeInstanceOf(ConnectionThrottled);
      expect(launch.adapter.classify(held).retryAfterMs).toBeGreaterThan(15_000);
      expect(calls.length).toBe(before);

      // The other connection is not slowed.
      const other = await loadConnection(h.prisma, team.id, b.id, { maxRetries: 0 });
      expect((await other.adapter.retrieve("batch_9")).id).toBe("batch_9");
      expect(calls.at(-1)).toBe("GET /v1/b/batches/batch_9");

      // Once the wait is over, calls go out again.
      await h.prisma.providerConnection.update({ where: { id: a.id }, data: { backoffUntil: new Date(Date.now() - 1) } });
      expect((await launch.adapter.retrieve("batch_9")).id).toBe("batch_9");
    } finally {
      limited.clear();
    }
  });
});
