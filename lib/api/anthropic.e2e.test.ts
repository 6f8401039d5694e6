// Batchboard's Anthropic-compatible Message Batches API shown working over real HTTP with the
// official @anthropic-ai/sdk: create with inline requests -> poll -> results -> list -> cancel, on a
// connection to the Sandbox's imitation of Anthropic, with the sync worker running. With
// TEST_DATABASE_URL the same runs on PostgreSQL.
import Anthropic from "@anthropic-ai/sdk";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { encryptSecret } from "@/lib/crypto";
import { startSyncWorker, type SyncWorker } from "@/lib/batches/engine/worker";
import { makeTeam, startEngine, type Engine } from "@/lib/batches/engine/fixtures";
import { sandboxKeyForTeam } from "@/lib/providers/sandbox/keys";
import { handleAnthropicApi } from "./anthropic";
import { handleOpenAiApi } from "./openai";
import { createToken } from "./tokens";

let e: Engine;
let worker: SyncWorker;
let base: string;

beforeAll(async () => {
  e = await startEngine({ API_REQUESTS_PER_MINUTE: "1000", SANDBOX_MS_PER_REQUEST: "5" });
  e.intercept.fn = async (req) => {
    const p = new URL(req.url).pathname;
    return p.startsWith("/api/anthropic/") ? handleAnthropicApi(req) : p.startsWith("/api/v1/") ? handleOpenAiApi(req) : undefined;
  };
  base = `${e.url}/api/anthropic`;
  worker = startSyncWorker({ prisma: e.h.prisma, tickMs: 30, owner: "anthropic-api-test" });
});
afterAll(async () => {
  await worker?.stop();
  await e?.close();
});

async function setup(withAnthropic = true) {
  const t = await makeTeam(e);
  const conn = withAnthropic
    ? await e.h.prisma.providerConnection.create({
        data: { teamId: t.team.id, kind: "anthropic", name: "Claude imitation", baseUrl: "builtin:anthropic", encryptedKey: encryptSecret(sandboxKeyForTeam(t.team.id)), keyLast4: "test", createdById: t.user.id },
      })
    : null;
  const actor = { user: { id: t.user.id }, team: { id: t.team.id }, role: "OWNER" as const };
  const token = await createToken(e.h.prisma, actor, { name: "claude script", scope: "role", days: 30, allowedConnectionIds: [] });
  return { ...t, conn, token, client: new Anthropic({ baseURL: base, apiKey: token.secret, maxRetries: 0 }) };
}

const req = (id: string, text: string) => ({ custom_id: id, params: { model: "claude-sonnet-4-5", max_tokens: 64, messages: [{ role: "user" as const, content: text }] } });

describe("the Anthropic SDK against Batchboard", () => {
  it("creates a message batch, polls it to its end, reads its results, lists and cancels", async () => {
    const { client, conn, team, token } = await setup();
    const created = await client.messages.batches.create({ requests: [req("a-1", "What is 2+2?"), req("a-2", "Please [fail] now"), req("a-3", "Capital of France?")] });
    expect(created).toMatchObject({ type: "message_batch", processing_status: "in_progress", results_url: null });
    const row = await e.h.prisma.batch.findUniqueOrThrow({ where: { id: created.id }, include: { inputFile: true } });
    expect(row).toMatchObject({ teamId: team.id, connectionId: conn!.id, source: "api", apiTokenId: token.id, total: 3, inputFile: { requestCount: 3, status: "valid" } });

    let b = created;
    for (let i = 0; i < 300 && b.processing_status !== "ended"; i++) {
      await new Promise((r) => setTimeout(r, 50));
      b = await client.messages.batches.retrieve(created.id);
    }
    expect(b).toMatchObject({ processing_status: "ended", request_counts: { processing: 0, succeeded: 2, errored: 1, canceled: 0, expired: 0 } });
    expect(b.results_url).toBe(`${base}/v1/messages/batches/${created.id}/results`);
    expect(Date.parse(b.ended_at!)).toBeGreaterThan(0);

    const results: Anthropic.Messages.MessageBatchIndividualResponse[] = [];
    for await (const r of await client.messages.batches.results(created.id)) results.push(r);
    expect(results.map((r) => [r.custom_id, r.result.type])).toEqual([
      ["a-1", "succeeded"],
      ["a-2", "errored"],
      ["a-3", "succeeded"],
    ]);
    const first = results[0].result as Anthropic.Messages.MessageBatchSucceededResult;
    expect(first.message.content[0]).toMatchObject({ type: "text", text: expect.any(String) });

    // A second one, still running (on the imitation at a minute a request): listed first, then cancelled.
    await e.h.prisma.providerConnection.create({
      data: { teamId: team.id, kind: "anthropic", name: "Claude slow", baseUrl: `${e.url}/api/sandbox/anthropic/sandbox_ms_per_request=60000`, encryptedKey: encryptSecret(sandboxKeyForTeam(team.id)), keyLast4: "test" },
    });
    const second = await client.messages.batches.create({ requests: [req("b-1", "slow")] }, { headers: { "Batchboard-Connection": "Claude slow" } });
    const listed: string[] = [];
    for await (const x of client.messages.batches.list({ limit: 1 })) listed.push(x.id);
    expect(listed).toEqual([second.id, created.id]);
    const older = await client.messages.batches.list({ limit: 5, before_id: created.id });
    expect(older.data.map((x) => x.id)).toEqual([second.id]);
    const cancelled = await client.messages.batches.cancel(second.id);
    expect(["canceling", "ended"]).toContain(cancelled.processing_status);

    // Its results_url is the address the caller reached Batchboard at (behind a proxy: the one it names), never the one it listens on.
    const proxied = await fetch(`${base}/v1/messages/batches/${created.id}`, { headers: { "x-api-key": token.secret, "x-forwarded-host": "batchboard.example.com", "x-forwarded-proto": "https" } });
    expect((await proxied.json()).results_url).toBe(`https://batchboard.example.com/api/anthropic/v1/messages/batches/${created.id}/results`);
    // Message batches are this API's: the OpenAI-compatible API neither lists nor reads them (their results are Anthropic's lines).
    const openai = (p: string) => fetch(`${e.url}/api/v1${p}`, { headers: { authorization: `Bearer ${token.secret}` } });
    expect(((await (await openai("/batches")).json()) as { data: { id: string }[] }).data.map((x) => x.id)).not.toContain(created.id);
    expect((await openai(`/batches/${created.id}`)).status).toBe(404);
  });

  it("refuses what it cannot run: no Anthropic connection, a request it cannot convert, another team's batch, a missing key", async () => {
    const plain = await setup(false);
    await expect(plain.client.messages.batches.create({ requests: [req("x", "y")] })).rejects.toThrow(/No connection to run on/);
    await expect(plain.client.messages.batches.create({ requests: [req("x", "y")] }, { headers: { "Batchboard-Connection": "Sandbox" } })).rejects.toThrow(/Sandbox.{0,2} is not an Anthropic connection/);

    const { client } = await setup();
    const bad = await client.messages.batches.create({ requests: [req("ok", "fine"), { custom_id: "bad id!", params: { model: "m", max_tokens: 5, messages: [{ role: "user", content: "x" }] } }] }).catch((x: unknown) => x);
    expect(bad).toBeInstanceOf(Anthropic.BadRequestError);
    expect(String(bad)).toMatch(/requests\[1\]/);
    // The file check's "line N" is requests[N-1] here, in its message too.
    const twice = await client.messages.batches.create({ requests: [req("dup", "a"), req("dup", "b")] }).catch((x: unknown) => x);
    expect((twice as InstanceType<typeof Anthropic.BadRequestError>).error).toMatchObject({ error: { message: expect.stringMatching(/requests\[1\] \(custom_id\): custom_id "dup" is used twice: first on requests\[0\], again on requests\[1\]/) } });
    const theirs = await client.messages.batches.create({ requests: [req("z", "z")] });
    // A bad address or body is a 400 in Anthropic's shape, a wrong method a 405, never a 500.
    const call = (p: string, init: RequestInit = {}) => fetch(`${base}/v1/messages/batches${p}`, { ...init, headers: { "x-api-key": (client as unknown as { apiKey: string }).apiKey, ...(init.headers as Record<string, string>) } });
    for (const [p, init, status] of [["/%00", {}, 400], ["/%E0%A4%A", {}, 400], ["?after_id=%00", {}, 400], ["", { method: "POST", body: "{not json" }, 400], [`/${theirs.id}/results`, { method: "POST" }, 405], [`/${theirs.id}`, { method: "PUT" }, 405], ["", { method: "PATCH" }, 405]] as const) {
      const res = await call(p, init);
      expect([p, res.status], await res.clone().text()).toEqual([p, status]);
      expect(await res.json()).toMatchObject({ type: "error", error: { type: "invalid_request_error", message: expect.any(String) } });
    }

    // The SDK's batches.delete: Batchboard keeps the batch, and says so in Anthropic's shape.
    const deleted = await client.messages.batches.delete(theirs.id).catch((x: unknown) => x);
    expect(deleted).toBeInstanceOf(Anthropic.APIError);
    expect((deleted as InstanceType<typeof Anthropic.APIError>).status).toBe(405);
    expect(String(deleted)).toMatch(/keeps every batch in the team's history/);
    expect((await client.messages.batches.retrieve(theirs.id)).id).toBe(theirs.id);
    await expect(plain.client.messages.batches.retrieve(theirs.id)).rejects.toBeInstanceOf(Anthropic.NotFoundError);
    await expect(plain.client.messages.batches.cancel(theirs.id)).rejects.toBeInstanceOf(Anthropic.NotFoundError);
    await expect(new Anthropic({ baseURL: base, apiKey: "bb_nope", maxRetries: 0 }).messages.batches.list()).rejects.toBeInstanceOf(Anthropic.AuthenticationError);
  });
});
