// Batchboard's OpenAI-compatible API shown working over real HTTP, by authorities we did not write:
// the official `openai` Node SDK runs upload -> create -> poll -> download -> list against it (the
// sync worker running meanwhile, the batch on the team's built-in Sandbox), every answer is checked
// against OpenAI's OpenAPI document, and the seeds' Doubleword curl workflow runs verbatim with the
// real curl binary (only the base URL, the key and the ids it tells you to save substituted).
// With TEST_DATABASE_URL the same runs on PostgreSQL.
import { execFile } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import OpenAI, { toFile } from "openai";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { encryptSecret } from "@/lib/crypto";
import { startSyncWorker, type SyncWorker } from "@/lib/batches/engine/worker";
import { makeTeam, startEngine, type Engine } from "@/lib/batches/engine/fixtures";
import { sandboxKeyForTeam } from "@/lib/providers/sandbox/keys";
import { expectSchema } from "@/lib/test/openapi";
import { sharedPath } from "@/lib/test/shared";
import { installPeerAddress } from "@/lib/http/client-ip";
import { handleOpenAiApi } from "./openai";
import { createToken, revokeToken } from "./tokens";

const run = promisify(execFile);
let e: Engine;
let worker: SyncWorker;
let base: string;

beforeAll(async () => {
  // As instrumentation.ts does at start: each request carries its socket's address.
  installPeerAddress();
  e = await startEngine({ API_REQUESTS_PER_MINUTE: "1000" });
  // The API beside the sandbox on one real HTTP server, as in the app.
  e.intercept.fn = async (req) => (new URL(req.url).pathname.startsWith("/api/v1/") ? handleOpenAiApi(req) : undefined);
  base = `${e.url}/api/v1`;
  worker = startSyncWorker({ prisma: e.h.prisma, tickMs: 30, owner: "api-test" });
});
afterAll(async () => {
  await worker?.stop();
  await e?.close();
});

const line = (id: string, content: string, model = "batch-test-model") =>
  JSON.stringify({ custom_id: id, method: "POST", url: "/v1/chat/completions", body: { model, messages: [{ role: "user", content }] } });

async function member(role: "OWNER" | "MEMBER" = "OWNER") {
  const t = await makeTeam(e);
  if (role !== "OWNER") await e.h.prisma.membership.update({ where: { userId_teamId: { userId: t.user.id, teamId: t.team.id } }, data: { role } });
  const actor = { user: { id: t.user.id }, team: { id: t.team.id }, role };
  const token = await createToken(e.h.prisma, actor, { name: "script", scope: "role", days: 30, allowedConnectionIds: [] });
  return { ...t, actor, token, client: new OpenAI({ baseURL: base, apiKey: token.secret, maxRetries: 0 }) };
}

async function pollUntilOver(client: OpenAI, id: string) {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const b = await client.batches.retrieve(id);
    expectSchema("Batch", b);
    if (["completed", "failed", "expired", "cancelled"].includes(b.status) && (b.output_file_id || b.error_file_id || b.status !== "completed")) return b;
    if (Date.now() > deadline) throw new Error(`batch still ${b.status}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe("the openai SDK against Batchboard", () => {
  it("uploads, creates on the team's Sandbox, polls, downloads output and errors, and lists", async () => {
    const { client, team, token } = await member();
    const body = [line("q-1", "What is 2+2?"), line("q-2", "Please [fail] here"), line("q-3", "Capital of France?")].join("\n") + "\n";
    const file = await client.files.create({ file: await toFile(Buffer.from(body), "questions.jsonl"), purpose: "batch" });
    expectSchema("OpenAIFile", file);
    expect(file).toMatchObject({ object: "file", filename: "questions.jsonl", purpose: "batch", bytes: Buffer.byteLength(body) });
    expectSchema("OpenAIFile", await client.files.retrieve(file.id));
    expect((await (await client.files.content(file.id)).text()).trim().split("\n").map((l) => JSON.parse(l))).toEqual(body.trim().split("\n").map((l) => JSON.parse(l)));

    const created = await client.batches.create({ input_file_id: file.id, endpoint: "/v1/chat/completions", completion_window: "24h", metadata: { sandbox_ms_per_request: "5" } });
    expectSchema("Batch", created);
    expect(created).toMatchObject({ object: "batch", input_file_id: file.id, metadata: { sandbox_ms_per_request: "5" } });
    // It is the team's batch, on its Sandbox, from the API with this token.
    const row = await e.h.prisma.batch.findUniqueOrThrow({ where: { id: created.id }, include: { connection: true } });
    expect(row).toMatchObject({ teamId: team.id, source: "api", apiTokenId: token.id, connection: { kind: "sandbox" } });

    const done = await pollUntilOver(client, created.id);
    expect(done).toMatchObject({ status: "completed", request_counts: { total: 3, completed: 2, failed: 1 } });
    const out = (await (await client.files.content(done.output_file_id!)).text()).trim().split("\n").map((l) => JSON.parse(l));
    expect(out.map((l) => l.custom_id)).toEqual(["q-1", "q-3"]);
    expect(out[0].response.body.choices[0].message.content).toEqual(expect.any(String));
    const errs = (await (await client.files.content(done.error_file_id!)).text()).trim().split("\n").map((l) => JSON.parse(l));
    expect(errs.map((l) => l.custom_id)).toEqual(["q-2"]);
    const outFile = await client.files.retrieve(done.output_file_id!);
    expectSchema("OpenAIFile", outFile);
    expect(outFile).toMatchObject({ purpose: "batch_output", bytes: expect.any(Number) });
    expect(outFile.bytes).toBeGreaterThan(50);

    // Served from Batchboard's own results: the provider's files may be gone.
    await e.h.prisma.sandboxChunk.deleteMany({});
    expect((await (await client.files.content(done.output_file_id!)).text()).trim().split("\n")).toHaveLength(2);

    // List: a second batch, then auto-pagination one at a time (limit/after) finds both, newest first.
    const second = await client.batches.create({ input_file_id: file.id, endpoint: "/v1/chat/completions", completion_window: "24h", metadata: { sandbox_ms_per_request: "600000" } });
    const page = await client.batches.list({ limit: 1 });
    expectSchema("ListBatchesResponse", await (await fetch(`${base}/batches?limit=1`, { headers: { authorization: `Bearer ${token.secret}` } })).json());
    expect(page.data.map((b) => b.id)).toEqual([second.id]);
    const all: string[] = [];
    for await (const b of client.batches.list({ limit: 1 })) all.push(b.id);
    expect(all).toEqual([second.id, created.id]);
    const files = await client.files.list();
    expect(files.data.map((f) => f.id)).toEqual([file.id]);

    // Cancel the running one.
    const cancelled = await client.batches.cancel(second.id);
    expectSchema("Batch", cancelled);
    expect(["cancelling", "cancelled"]).toContain(cancelled.status);

    // A file a batch ran on stays; a new one can be deleted.
    await expect(client.files.delete(file.id)).rejects.toBeInstanceOf(OpenAI.BadRequestError);
    const spare = await client.files.create({ file: await toFile(Buffer.from(line("x", "y") + "\n"), "spare.jsonl"), purpose: "batch" });
    const deleted = await client.files.delete(spare.id);
    expectSchema("DeleteFileResponse", deleted);
    await expect(client.files.retrieve(spare.id)).rejects.toBeInstanceOf(OpenAI.NotFoundError);
  });

  it("answers a file's problems in OpenAI's error shape, naming the line", async () => {
    const { client, team } = await member();
    const body = [line("a", "fine"), '{"custom_id": "b", "method": "POST", "url": "/v1/chat/completions"}', line("a", "again")].join("\n") + "\n";
    const err = await client.files.create({ file: await toFile(Buffer.from(body), "bad.jsonl"), purpose: "batch" }).catch((x: unknown) => x);
    expect(err).toBeInstanceOf(OpenAI.BadRequestError);
    const { error } = (err as InstanceType<typeof OpenAI.BadRequestError>);
    expectSchema("Error", error);
    expect((error as { message: string }).message).toMatch(/line 2 \(body\)/);
    expect((error as { message: string }).message).toMatch(/line 3 \(custom_id\)/);
    // Nothing of it is kept.
    expect(await e.h.prisma.inputFile.count({ where: { teamId: team.id } })).toBe(0);
    // purpose must be batch
    await expect(client.files.create({ file: await toFile(Buffer.from(line("a", "b") + "\n"), "x.jsonl"), purpose: "fine-tune" })).rejects.toThrow(/purpose must be "batch"/);
  });

  it("runs a file over the connection's limits as one batch: a job of parts, counted and downloaded as one", async () => {
    const { client, team, user } = await member();
    const small = await e.h.prisma.providerConnection.create({
      data: { teamId: team.id, kind: "openai-compatible", name: "Two at a time", baseUrl: `${e.url}/api/sandbox/openai/v1`, encryptedKey: encryptSecret(sandboxKeyForTeam(team.id)), keyLast4: "test", createdById: user.id, limits: { maxRequests: 2 } },
    });
    const body = ["a", "b", "c", "d", "e"].map((x) => line(x, `question ${x}`)).join("\n") + "\n";
    const file = await client.files.create({ file: await toFile(Buffer.from(body), "five.jsonl"), purpose: "batch" });
    const created = await client.batches.create(
      { input_file_id: file.id, endpoint: "/v1/chat/completions", completion_window: "24h", metadata: { sandbox_ms_per_request: "5" } },
      { headers: { "Batchboard-Connection": "Two at a time" } },
    );
    const job = await e.h.prisma.job.findUniqueOrThrow({ where: { id: created.id }, include: { batches: true } });
    expect(job.batches.map((b) => b.connectionId)).toEqual([small.id, small.id, small.id]);
    const done = await pollUntilOver(client, created.id);
    expect(done).toMatchObject({ status: "completed", request_counts: { total: 5, completed: 5, failed: 0 } });
    const out = (await (await client.files.content(done.output_file_id!)).text()).trim().split("\n").map((l) => JSON.parse(l).custom_id);
    expect(out).toEqual(["a", "b", "c", "d", "e"]);
    const listed = await client.batches.list();
    expect(listed.data.map((b) => b.id)).toEqual([created.id]);
  });
});

describe("what the API refuses, and how", () => {
  it("answers a bad address or body with a 400 naming it (never a 500), a wrong method with a 405, a body too large with a 413", async () => {
    const { client, token } = await member();
    const get = (p: string, init: RequestInit = {}, auth = true) => fetch(`${base}${p}`, { ...init, headers: { ...(auth ? { authorization: `Bearer ${token.secret}` } : {}), ...(init.headers as Record<string, string>) } });
    const answer = async (res: Response) => ({ status: res.status, ...((await res.json()) as { error: { message: string; param: string | null } }).error });
    expect(await answer(await get("/files/%00"))).toMatchObject({ status: 400, message: expect.stringMatching(/NUL character/) });
    expect(await answer(await get("/batches/%ZZ"))).toMatchObject({ status: 400, message: expect.stringMatching(/not valid percent-encoding/) });
    expect(await answer(await get("/files/%E0%A4%A/content"))).toMatchObject({ status: 400 });
    expect(await answer(await get("/batches?after=%00"))).toMatchObject({ status: 400, param: "after" });
    // The token is checked first: without one, the same address is a 401.
    expect((await get("/batches/%ZZ", {}, false)).status).toBe(401);

    const post = (body: string) => get("/batches", { method: "POST", body, headers: { "content-type": "application/json" } });
    expect(await answer(await post(JSON.stringify({ input_file_id: "file-x\u0000", endpoint: "/v1/chat/completions", completion_window: "24h" })))).toMatchObject({ status: 400, param: "input_file_id" });
    expect(await answer(await post(JSON.stringify({ input_file_id: "f", endpoint: "/v1/chat/completions", completion_window: "24h", metadata: { batchboard_name: "a\u0000b" } })))).toMatchObject({ status: 400, param: "metadata.batchboard_name" });
    expect(await answer(await post(JSON.stringify({ input_file_id: "f", completion_window: "24h" })))).toMatchObject({ status: 400, param: "endpoint", message: "endpoint is required." });
    expect(await answer(await post(JSON.stringify({ input_file_id: "f", endpoint: 7, completion_window: "24h" })))).toMatchObject({ status: 400, message: "endpoint must be a string." });
    expect(await answer(await post(JSON.stringify({ input_file_id: "f", endpoint: "/v1/chat/completions", completion_window: "24h", metadata: { pad: "x".repeat(70_000) } })))).toMatchObject({ status: 413 });

    const file = await client.files.create({ file: await toFile(Buffer.from(line("m-1", "hi") + "\n"), "m.jsonl"), purpose: "batch" });
    const wrong = await get(`/files/${file.id}`, { method: "POST" });
    expect(wrong.headers.get("allow")).toBe("GET, DELETE");
    expect(await answer(wrong)).toMatchObject({ status: 405, message: expect.stringMatching(/does not take POST; it takes GET, DELETE/) });
    expect(await answer(await get("/batches/nope/cancel"))).toMatchObject({ status: 405 });
    // Methods no address takes are answered in the same shape, after the token.
    const put = await get(`/files/${file.id}`, { method: "PUT", body: "{}" });
    expect(put.headers.get("allow")).toBe("GET, DELETE");
    expect(await answer(put)).toMatchObject({ status: 405, message: expect.stringMatching(/does not take PUT/) });
    expect(await answer(await get("/batches", { method: "PATCH", body: "{}" }))).toMatchObject({ status: 405, message: expect.stringMatching(/it takes GET, POST/) });
    expect((await get("/batches", { method: "PATCH", body: "{}" }, false)).status).toBe(401);
    // The wrong purpose names its field; a JSON body is told what the form takes.
    const form = new FormData();
    form.append("purpose", "fine-tune");
    form.append("file", new Blob([line("p", "q") + "\n"]), "p.jsonl");
    expect(await answer(await get("/files", { method: "POST", body: form }))).toMatchObject({ status: 400, param: "purpose" });
    expect(await answer(await get("/files", { method: "POST", body: "{}", headers: { "content-type": "application/json" } }))).toMatchObject({ status: 415, message: expect.stringMatching(/"purpose" \(batch\) and "file"/) });
  });

  it("keeps a batch's metadata, answers it on retrieve and list, and refuses an Idempotency-Key used again for another batch (422)", async () => {
    const { client } = await member();
    const file = await client.files.create({ file: await toFile(Buffer.from(line("i-1", "hi") + "\n"), "i.jsonl"), purpose: "batch" });
    const params = { input_file_id: file.id, endpoint: "/v1/chat/completions" as const, completion_window: "24h" as const, metadata: { project: "atlas", sandbox_ms_per_request: "600000", batchboard_name: "Atlas run" } };
    const kept = { project: "atlas", sandbox_ms_per_request: "600000" };
    const first = await client.batches.create(params, { headers: { "Idempotency-Key": "same-key" } });
    expect(first.metadata).toEqual(kept);
    expect((await client.batches.retrieve(first.id)).metadata).toEqual(kept);
    expect((await client.batches.list()).data.find((b) => b.id === first.id)?.metadata).toEqual(kept);
    // The same call again (an SDK's retry): the same batch.
    expect((await client.batches.create(params, { headers: { "Idempotency-Key": "same-key" } })).id).toBe(first.id);
    // The same key for another batch: refused, naming what differs.
    const other = await client.batches.create({ ...params, completion_window: "1h" as "24h", metadata: { project: "zeus" } }, { headers: { "Idempotency-Key": "same-key" } }).catch((x: unknown) => x);
    expect(other).toBeInstanceOf(OpenAI.UnprocessableEntityError);
    expect(String(other)).toMatch(/another completion_window, metadata/);
    expect(await e.h.prisma.batch.count({ where: { inputFileId: file.id } })).toBe(1);
  });
});

describe("tokens", () => {
  it("refuses a missing, revoked or expired token (401), a read-only one's mutations (403), another team's ids (404), and a member who left", async () => {
    const a = await member();
    const file = await a.client.files.create({ file: await toFile(Buffer.from(line("a", "b") + "\n"), "a.jsonl"), purpose: "batch" });

    await expect(new OpenAI({ baseURL: base, apiKey: "bb_not-a-token", maxRetries: 0 }).files.list()).rejects.toBeInstanceOf(OpenAI.AuthenticationError);
    const noKey = await fetch(`${base}/files`);
    expect(noKey.status).toBe(401);
    expectSchema("ErrorResponse", await noKey.json());

    const ro = await createToken(e.h.prisma, a.actor, { name: "reader", scope: "read", days: 7, allowedConnectionIds: [] });
    const reader = new OpenAI({ baseURL: base, apiKey: ro.secret, maxRetries: 0 });
    expect((await reader.files.list()).data).toHaveLength(1);
    await expect(reader.batches.create({ input_file_id: file.id, endpoint: "/v1/chat/completions", completion_window: "24h" })).rejects.toBeInstanceOf(OpenAI.PermissionDeniedError);
    await expect(reader.files.delete(file.id)).rejects.toBeInstanceOf(OpenAI.PermissionDeniedError);

    const b = await member();
    await expect(b.client.files.retrieve(file.id)).rejects.toBeInstanceOf(OpenAI.NotFoundError);
    await expect(b.client.files.content(file.id)).rejects.toBeInstanceOf(OpenAI.NotFoundError);
    await expect(b.client.batches.create({ input_file_id: file.id, endpoint: "/v1/chat/completions", completion_window: "24h" })).rejects.toBeInstanceOf(OpenAI.NotFoundError);
    const batch = await a.client.batches.create({ input_file_id: file.id, endpoint: "/v1/chat/completions", completion_window: "24h", metadata: { sandbox_ms_per_request: "600000" } });
    await expect(b.client.batches.retrieve(batch.id)).rejects.toBeInstanceOf(OpenAI.NotFoundError);
    await expect(b.client.batches.cancel(batch.id)).rejects.toBeInstanceOf(OpenAI.NotFoundError);
    await expect(b.client.files.delete(file.id)).rejects.toBeInstanceOf(OpenAI.NotFoundError);

    // A viewer's full-scope token is the viewer's: read only.
    const viewer = await member("MEMBER");
    await e.h.prisma.membership.update({ where: { userId_teamId: { userId: viewer.user.id, teamId: viewer.team.id } }, data: { role: "VIEWER" } });
    await expect(viewer.client.batches.create({ input_file_id: "x", endpoint: "/v1/chat/completions", completion_window: "24h" })).rejects.toBeInstanceOf(OpenAI.PermissionDeniedError);

    // Last used: when and from where.
    expect(await e.h.prisma.apiToken.findUniqueOrThrow({ where: { id: a.token.id } })).toMatchObject({ lastUsedAt: expect.any(Date), lastUsedIp: "127.0.0.1" });

    await revokeToken(e.h.prisma, a.actor, a.token.id);
    await expect(a.client.files.list()).rejects.toThrow(/was revoked/);
    await e.h.prisma.apiToken.update({ where: { id: ro.id }, data: { expiresAt: new Date(Date.now() - 1000) } });
    await expect(reader.files.list()).rejects.toBeInstanceOf(OpenAI.AuthenticationError);
    await e.h.prisma.membership.deleteMany({ where: { userId: b.user.id, teamId: b.team.id } });
    await expect(b.client.files.list()).rejects.toThrow(/no longer a member/);
    // Both were written down.
    expect(await e.h.prisma.auditEvent.findMany({ where: { teamId: a.team.id, action: { startsWith: "token." } }, select: { action: true }, orderBy: { id: "asc" } })).toEqual([
      { action: "token.created" },
      { action: "token.created" },
      { action: "token.revoked" },
    ]);
  });

  it("keeps a token to its connections, and rate-limits it with a 429 and Retry-After", async () => {
    const a = await member();
    const other = await e.h.prisma.providerConnection.create({
      data: { teamId: a.team.id, kind: "groq", name: "Groq imitation", baseUrl: "builtin:groq", encryptedKey: encryptSecret(sandboxKeyForTeam(a.team.id)), keyLast4: "test", createdById: a.user.id },
    });
    const limited = await createToken(e.h.prisma, a.actor, { name: "groq only", scope: "role", days: 0, allowedConnectionIds: [other.id], defaultConnectionId: other.id });
    const client = new OpenAI({ baseURL: base, apiKey: limited.secret, maxRetries: 0 });
    const file = await client.files.create({ file: await toFile(Buffer.from(line("a", "b", "llama-3.1-8b-instant") + "\n"), "a.jsonl"), purpose: "batch" });
    const refused = await client.batches.create({ input_file_id: file.id, endpoint: "/v1/chat/completions", completion_window: "24h", metadata: { batchboard_connection: a.connection.name } }).catch((x: unknown) => x);
    expect(refused).toBeInstanceOf(OpenAI.PermissionDeniedError);
    expect(String(refused)).toMatch(/may not launch on the connection "Sandbox"/);
    const b = await client.batches.create({ input_file_id: file.id, endpoint: "/v1/chat/completions", completion_window: "24h" });
    expect(await e.h.prisma.batch.findUniqueOrThrow({ where: { id: b.id } })).toMatchObject({ connectionId: other.id });

    process.env.API_REQUESTS_PER_MINUTE = "3";
    try {
      const t = await createToken(e.h.prisma, a.actor, { name: "busy", scope: "role", days: 0, allowedConnectionIds: [] });
      const statuses: number[] = [];
      let last: Response | undefined;
      for (let i = 0; i < 4; i++) {
        last = await fetch(`${base}/batches`, { headers: { "x-api-key": t.secret } });
        statuses.push(last.status);
      }
      expect(statuses).toEqual([200, 200, 200, 429]);
      expect(Number(last!.headers.get("retry-after"))).toBeGreaterThan(0);
      const body = await last!.json();
      expectSchema("ErrorResponse", body);
      expect(body.error.type).toBe("rate_limit_error");
    } finally {
      process.env.API_REQUESTS_PER_MINUTE = "1000";
    }
  });
});

describe("a token's spend cap", () => {
  it("counts what the token launched (spent, or estimated while it runs), and refuses the batch that would pass the cap", async () => {
    const a = await member();
    // $1,000 per million tokens both ways: one request (a few input tokens, 500 assumed output) is about $0.51.
    await e.h.prisma.price.create({ data: { teamId: a.team.id, providerKind: "sandbox", model: "batch-test-model", inputPerMTok: 1000, outputPerMTok: 1000 } });
    const capped = await createToken(e.h.prisma, a.actor, { name: "capped", scope: "role", days: 0, spendCapUsd: 1, allowedConnectionIds: [] });
    const client = new OpenAI({ baseURL: base, apiKey: capped.secret, maxRetries: 0 });
    const file = await client.files.create({ file: await toFile(Buffer.from(line("a", "hello") + "\n"), "one.jsonl"), purpose: "batch" });
    const args = { input_file_id: file.id, endpoint: "/v1/chat/completions" as const, completion_window: "24h" as const };
    await client.batches.create(args);
    const refused = await client.batches.create(args).catch((x: unknown) => x);
    expect(refused).toBeInstanceOf(OpenAI.BadRequestError);
    expect(String(refused)).toMatch(/estimated at \$0\.5\d+; with the \$0\.5\d+ this token's batches have spent or are estimated to spend, that is over its spend cap of \$1\.00/);
    // Another token of the same member has its own count.
    await a.client.batches.create(args);
  });
});

describe("the seeds' Doubleword curl workflow", () => {
  it("runs its five steps verbatim with curl against Batchboard's base URL and a token", async () => {
    const { token } = await member();
    const seed = fs.readFileSync(sharedPath("seeds/doubleword-batches.txt"), "utf8");
    const blocks = [...seed.matchAll(/```(\w+) ([\s\S]*?) ```/g)].map((m) => ({ lang: m[1], text: m[2].trim() }));
    // Step 1: the JSONL file as the workflow writes it.
    const jsonl = blocks.find((b) => b.lang === "json" && b.text.includes('"custom_id": "req-1"'))!.text.split(/\s(?=\{"custom_id")/).join("\n") + "\n";
    const curls = blocks.filter((b) => b.lang === "bash" && b.text.startsWith("curl")).map((b) => b.text);
    const [upload, create, poll, download] = curls;
    expect(upload).toContain("-F purpose=\"batch\"");
    expect(create).toContain('"input_file_id": "file-abc123"');

    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "dw-"));
    fs.writeFileSync(path.join(dir, "batch_requests.jsonl"), jsonl);
    const sh = async (cmd: string) => {
      // The documents' own line continuations (" \ ") as written.
      const withBase = cmd.replaceAll("https://api.doubleword.ai", `${e.url}/api`);
      const { stdout } = await run("bash", ["-c", withBase.replaceAll(" \\ ", " ")], { cwd: dir, env: { ...process.env, DOUBLEWORD_API_KEY: token.secret } });
      return stdout;
    };
    const file = JSON.parse(await sh(upload));
    expectSchema("OpenAIFile", file);
    const batch = JSON.parse(await sh(create.replace("file-abc123", file.id)));
    expectSchema("Batch", batch);
    // The workflow polls "every 30-60 seconds"; the sandbox is quicker.
    let status = batch;
    for (let i = 0; i < 200 && !status.output_file_id; i++) {
      await new Promise((r) => setTimeout(r, 100));
      status = JSON.parse(await sh(poll.replace("batch-xyz789", batch.id)));
      expectSchema("Batch", status);
    }
    expect(status).toMatchObject({ status: "completed", request_counts: { total: 2, completed: 2, failed: 0 } });
    await sh(download.replace("file-output123", status.output_file_id));
    const results = fs.readFileSync(path.join(dir, "results.jsonl"), "utf8").trim().split("\n").map((l) => JSON.parse(l));
    expect(results.map((r) => r.custom_id).sort()).toEqual(["req-1", "req-2"]);
    expect(results[0].response.status_code).toBe(200);
    fs.rmSync(dir, { recursive: true, force: true });
  });
});
