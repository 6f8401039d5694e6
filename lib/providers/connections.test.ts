import net from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DbHandle } from "@/lib/db/client";
import type { TeamContext } from "@/lib/auth/context";
import { createTestDb } from "@/lib/test/db";
import { serve } from "@/lib/test/http";
import { decryptSecret, encryptSecret } from "@/lib/crypto";
import { UserError } from "@/lib/errors";
import { addMember, ctxOf, makeUser, useTempDataDir } from "@/lib/teams/fixtures";
import {
  addConnection,
  deleteConnection,
  listConnections,
  probeProvider,
  renameConnection,
  replaceKey,
  testConnection,
} from "./connections";
import { addConnectionInput } from "./connections.schema";
import { unreachableMessage } from "./failure";

const KEY = "sk-test-Zq8wXk2pLm4nRt6vBy0cDe1fGh3jK5abcd";

let h: DbHandle;
let ownerCtx: TeamContext;
let memberCtx: TeamContext;
let viewerCtx: TeamContext;
let otherCtx: TeamContext;
let provider: { url: string; close(): Promise<void> };
const seen: { path: string; auth: string | null }[] = [];

/** A small OpenAI-compatible provider: models for KEY, 401 with OpenAI's error body otherwise. */
async function fakeProvider(req: Request): Promise<Response> {
  const url = new URL(req.url);
  seen.push({ path: url.pathname, auth: req.headers.get("authorization") });
  const json = (status: number, body: unknown) => Response.json(body, { status });
  const key = req.headers.get("authorization")?.replace(/^Bearer /, "");
  if (url.pathname.startsWith("/echo/")) {
    // A careless provider that repeats the whole key in its error.
    return json(401, { error: { message: `Invalid key ${key} for this project`, type: "invalid_request_error", code: "invalid_api_key" } });
  }
  if (url.pathname.startsWith("/broken/")) return json(503, { error: { message: "The engine is currently overloaded", type: "server_error" } });
  if (url.pathname.startsWith("/html/")) return new Response("<html>hello</html>", { status: 200, headers: { "content-type": "text/html" } });
  // Not an API: an internal page whose text must never be shown to whoever pointed a connection at it.
  if (url.pathname.startsWith("/internal/")) return new Response("internal admin console: db password hunter2", { status: 404, headers: { "content-type": "text/plain" } });
  // DashScope's error shape: no "error" key.
  if (url.pathname.startsWith("/dashscope/")) return json(400, { code: "InvalidParameter", message: "The model is not supported for batch.", request_id: "r-1" });
  if (url.pathname.startsWith("/slow/")) {
    await new Promise((r) => setTimeout(r, 1500));
    return json(200, { object: "list", data: [] });
  }
  if (key !== KEY) {
    return json(401, {
      error: { message: "Incorrect API key provided: sk-wron*****1234.", type: "invalid_request_error", param: null, code: "invalid_api_key" },
    });
  }
  if (url.pathname === "/v1/models") {
    return json(200, { object: "list", data: [{ id: "m-1", object: "model", created: 0, owned_by: "x" }, { id: "m-2", object: "model", created: 0, owned_by: "x" }] });
  }
  if (url.pathname === "/nomodels/v1/models") return json(404, { error: { message: "Not found", type: "invalid_request_error" } });
  if (url.pathname === "/nomodels/v1/batches") return json(200, { object: "list", data: [], has_more: false });
  return json(404, { error: { message: `No route ${url.pathname}` } });
}

async function closedPort() {
  const s = net.createServer();
  await new Promise<void>((r) => s.listen(0, "127.0.0.1", r));
  const { port } = s.address() as net.AddressInfo;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

beforeAll(async () => {
  useTempDataDir();
  h = await createTestDb();
  provider = await serve(fakeProvider);
  const owner = await makeUser(h.prisma, "Owner");
  const member = await makeUser(h.prisma, "Member");
  const viewer = await makeUser(h.prisma, "Viewer");
  const other = await makeUser(h.prisma, "Other");
  await addMember(h.prisma, owner.team.id, member.user.id, "MEMBER");
  await addMember(h.prisma, owner.team.id, viewer.user.id, "VIEWER");
  ownerCtx = await ctxOf(h.prisma, owner.user.id, owner.team.id);
  memberCtx = await ctxOf(h.prisma, member.user.id, owner.team.id);
  viewerCtx = await ctxOf(h.prisma, viewer.user.id, owner.team.id);
  otherCtx = await ctxOf(h.prisma, other.user.id, other.team.id);
});
afterAll(async () => {
  await provider?.close();
  await h.close();
});

const custom = (name: string, baseUrl: string, apiKey = KEY) => addConnectionInput.parse({ kind: "openai-compatible", name, baseUrl, apiKey });

describe("connections", () => {
  it("encrypts the key before it is stored and never returns it", async () => {
    const added = await addConnection(h.prisma, ownerCtx, custom("Doubleword", `${provider.url}/v1/`));
    expect(added).toMatchObject({ name: "Doubleword", kind: "openai-compatible", baseUrl: `${provider.url}/v1`, keyLast4: "abcd", builtIn: false });
    expect(JSON.stringify(added)).not.toContain(KEY);
    expect(added).not.toHaveProperty("encryptedKey");

    const stored = await h.prisma.providerConnection.findUniqueOrThrow({ where: { id: added.id }, select: { encryptedKey: true, keyLast4: true } });
    expect(stored.encryptedKey).not.toContain(KEY);
    expect(stored.encryptedKey).toMatch(/^v2:[0-9a-f]{8}:/);
    expect(decryptSecret(stored.encryptedKey)).toBe(KEY);
    expect(stored.keyLast4).toBe("abcd");

    const list = await listConnections(h.prisma, ownerCtx);
    expect(list.map((c) => c.name)).toEqual(["Sandbox", "Doubleword"]);
    expect(list[0]).toMatchObject({ builtIn: true, baseUrlLabel: "Built in", kindLabel: "Sandbox (built in)" });
    expect(JSON.stringify(list)).not.toContain(KEY);
    for (const c of list) expect(c).not.toHaveProperty("encryptedKey");

    const audits = await h.prisma.auditEvent.findMany({ where: { teamId: ownerCtx.team.id, action: "connection.created" } });
    expect(audits).toHaveLength(1);
    expect(JSON.stringify(audits.map((a) => a.data))).not.toContain(KEY);
  });

  it("refuses members and viewers, and hides the connections of other teams", async () => {
    for (const ctx of [memberCtx, viewerCtx]) {
      await expect(addConnection(h.prisma, ctx, custom("Nope", `${provider.url}/v1`))).rejects.toThrow(/owners and admins/);
      const [c] = (await listConnections(h.prisma, ctx)).filter((x) => !x.builtIn);
      await expect(testConnection(h.prisma, ctx, c.id)).rejects.toThrow(/owners and admins/);
      await expect(replaceKey(h.prisma, ctx, { connectionId: c.id, apiKey: "sk-other-key-1234" })).rejects.toThrow(/owners and admins/);
      await expect(deleteConnection(h.prisma, ctx, c.id)).rejects.toThrow(/owners and admins/);
    }
    const [mine] = (await listConnections(h.prisma, ownerCtx)).filter((x) => !x.builtIn);
    expect((await listConnections(h.prisma, otherCtx)).map((c) => c.name)).toEqual(["Sandbox"]);
    await expect(testConnection(h.prisma, otherCtx, mine.id)).rejects.toThrow("That connection was not found.");
    await expect(renameConnection(h.prisma, otherCtx, { connectionId: mine.id, name: "Mine now" })).rejects.toThrow("not found");
    await expect(deleteConnection(h.prisma, otherCtx, mine.id)).rejects.toThrow("not found");
  });

  it("validates the input with messages tied to fields", async () => {
    const r = addConnectionInput.safeParse({ kind: "openai-compatible", name: "", baseUrl: "ftp://x", apiKey: "sk with space" });
    const byField = Object.fromEntries(r.error!.issues.map((i) => [i.path.join("."), i.message]));
    expect(byField).toMatchObject({ name: "Name the connection.", baseUrl: expect.stringMatching(/http\(s\) URL/), apiKey: expect.stringMatching(/no spaces/) });

    const dup = await addConnection(h.prisma, ownerCtx, custom("Doubleword", `${provider.url}/v1`)).catch((e) => e);
    expect(dup.fieldErrors).toEqual({ name: expect.stringMatching(/already has a connection named "Doubleword"/) });

    const fixed = await addConnection(h.prisma, ownerCtx, addConnectionInput.parse({ kind: "openai", name: "OAI", baseUrl: "https://evil.example.com/v1", apiKey: KEY })).catch((e) => e);
    expect(fixed.fieldErrors?.baseUrl).toMatch(/OpenAI uses https:\/\/api.openai.com\/v1/);
    const sandbox = await addConnection(h.prisma, ownerCtx, addConnectionInput.parse({ kind: "sandbox", name: "S2", baseUrl: "https://x.example/v1", apiKey: KEY })).catch((e) => e);
    expect(sandbox.fieldErrors?.kind).toBe("Choose a provider from the list.");
  });

  it("tests a connection over real HTTP and stores the outcome", async () => {
    const [c] = (await listConnections(h.prisma, ownerCtx)).filter((x) => x.name === "Doubleword");
    seen.length = 0;
    const r = await testConnection(h.prisma, ownerCtx, c.id);
    expect(r).toMatchObject({ ok: true, outcome: "ok", message: "Connected. The key works (2 models listed)." });
    expect(seen).toEqual([{ path: "/v1/models", auth: `Bearer ${KEY}` }]);
    expect(JSON.stringify(r)).not.toContain(KEY);
    const row = await h.prisma.providerConnection.findUniqueOrThrow({ where: { id: c.id } });
    expect(row).toMatchObject({ lastTestOk: true, lastTestMessage: r.message });
    expect(row.lastTestedAt).toBeInstanceOf(Date);

    // A new key that the provider refuses: 401 with the provider's message.
    await replaceKey(h.prisma, ownerCtx, { connectionId: c.id, apiKey: "sk-wrong-key-00001234" });
    const after = await h.prisma.providerConnection.findUniqueOrThrow({ where: { id: c.id }, select: { keyVersion: true, keyLast4: true, lastTestOk: true, encryptedKey: true } });
    expect(after).toMatchObject({ keyVersion: 2, keyLast4: "1234", lastTestOk: null });
    expect(decryptSecret(after.encryptedKey)).toBe("sk-wrong-key-00001234");
    const bad = await testConnection(h.prisma, ownerCtx, c.id);
    expect(bad).toMatchObject({ ok: false, outcome: "auth" });
    expect(bad.message).toBe("The provider refused the key (HTTP 401): Incorrect API key provided: sk-wron*****1234.");
    expect((await h.prisma.providerConnection.findUniqueOrThrow({ where: { id: c.id } })).lastTestOk).toBe(false);
  });

  it("falls back to the batches list when a provider has no /models", async () => {
    const r = await probeProvider("openai-compatible", `${provider.url}/nomodels/v1`, KEY);
    expect(r).toEqual({ ok: true, outcome: "ok", message: "Connected. The key works (batches listed)." });
  });

  it("removes the key from a provider message that repeats it", async () => {
    const r = await probeProvider("openai-compatible", `${provider.url}/echo/v1`, KEY);
    expect(r.outcome).toBe("auth");
    expect(r.message).toBe("The provider refused the key (HTTP 401): Invalid key [redacted] for this project");
  });

  it("reports other HTTP errors with the status and the provider's message", async () => {
    const r = await probeProvider("openai-compatible", `${provider.url}/broken/v1`, KEY);
    expect(r).toEqual({ ok: false, outcome: "http", message: "The provider answered HTTP 503: The engine is currently overloaded" });
  });

  it("shows the provider's own message when its error is JSON, and never a raw body", async () => {
    const html = await probeProvider("openai-compatible", `${provider.url}/internal/v1`, KEY);
    expect(html).toEqual({ ok: false, outcome: "http", message: `${new URL(provider.url).host} answered HTTP 404 without an API error in JSON. Check the base URL (it usually ends in /v1).` });
    expect(JSON.stringify(html)).not.toMatch(/hunter2|admin console/);
    const dashscope = await probeProvider("openai-compatible", `${provider.url}/dashscope/v1`, KEY);
    expect(dashscope).toEqual({ ok: false, outcome: "http", message: "The provider answered HTTP 400: The model is not supported for batch." });
  });

  it("refuses internal addresses when a connection is added, and again when a stored one is used", async () => {
    const prev = process.env.ALLOWED_PRIVATE_HOSTS;
    process.env.ALLOWED_PRIVATE_HOSTS = "";
    try {
      seen.length = 0;
      // The attack the issue describes: a fresh account points a connection at the server's own network.
      for (const baseUrl of [`${provider.url}/internal/x?`, `${provider.url}/v1`, "http://169.254.169.254/latest", `http://[::ffff:127.0.0.1]:${new URL(provider.url).port}/v1`]) {
        const err = await addConnection(h.prisma, ownerCtx, { target: "provider", kind: "openai-compatible", name: `ssrf ${baseUrl}`, baseUrl, apiKey: KEY }).catch((e) => e);
        expect(err, baseUrl).toBeInstanceOf(UserError);
        expect(err.fieldErrors?.baseUrl, baseUrl).toBeTruthy();
      }
      // One stored before these rules (or allowed then, and no longer): the test is refused before it connects.
      const old = await h.prisma.providerConnection.create({
        data: { teamId: ownerCtx.team.id, kind: "openai-compatible", name: "Stored before", baseUrl: `${provider.url}/internal`, encryptedKey: encryptSecret(KEY), keyLast4: "abcd" },
      });
      const r = await testConnection(h.prisma, ownerCtx, old.id);
      expect(r).toMatchObject({ ok: false, outcome: "unreachable" });
      expect(r.message).toMatch(/internal address.*ALLOWED_PRIVATE_HOSTS/);
      expect(JSON.stringify(r)).not.toMatch(/hunter2|admin console/);
      expect(seen).toEqual([]);
      await h.prisma.providerConnection.delete({ where: { id: old.id } });
    } finally {
      process.env.ALLOWED_PRIVATE_HOSTS = prev;
    }
  });

  it("says the same for every way a host cannot be reached (refused, unknown name, timeout), so a test cannot map a network", async () => {
    const port = await closedPort();
    const refused = await probeProvider("openai-compatible", `http://127.0.0.1:${port}/v1`, KEY);
    expect(refused).toEqual({ ok: false, outcome: "unreachable", message: unreachableMessage(`127.0.0.1:${port}`) });

    const dns = await probeProvider("openai-compatible", "http://no-such-host.invalid/v1", KEY);
    expect(dns).toEqual({ ok: false, outcome: "unreachable", message: unreachableMessage("no-such-host.invalid") });

    const slow = await probeProvider("openai-compatible", `${provider.url}/slow/v1`, KEY, 300);
    expect(slow).toEqual({ ok: false, outcome: "unreachable", message: unreachableMessage(new URL(provider.url).host) });
    expect(unreachableMessage("h")).toBe("Could not reach h. Check the base URL and that the provider is up. (A server on your own network must first be allowed by the operator in ALLOWED_PRIVATE_HOSTS.)");
  });

  it("renames, refuses to change the Sandbox, and refuses to delete a connection batches use", async () => {
    const list = await listConnections(h.prisma, ownerCtx);
    const sandbox = list.find((c) => c.builtIn)!;
    await expect(deleteConnection(h.prisma, ownerCtx, sandbox.id)).rejects.toThrow("The built-in Sandbox connection cannot be deleted.");
    await expect(renameConnection(h.prisma, ownerCtx, { connectionId: sandbox.id, name: "X" })).rejects.toThrow(/cannot be renamed/);

    const c = list.find((x) => x.name === "Doubleword")!;
    expect((await renameConnection(h.prisma, ownerCtx, { connectionId: c.id, name: "Doubleword prod" })).name).toBe("Doubleword prod");

    const file = await h.prisma.inputFile.create({
      data: { teamId: ownerCtx.team.id, name: "in.jsonl", format: "jsonl", bytes: 10n, endpoint: "/v1/chat/completions", status: "valid" },
    });
    await h.prisma.batch.create({
      data: { teamId: ownerCtx.team.id, connectionId: c.id, inputFileId: file.id, name: "b", endpoint: "/v1/chat/completions", completionWindow: "24h", idempotencyKey: "k1" },
    });
    await expect(deleteConnection(h.prisma, ownerCtx, c.id)).rejects.toThrow(/"Doubleword prod" is used by 1 batch, so it cannot be deleted/);

    const spare = await addConnection(h.prisma, ownerCtx, custom("Spare", `${provider.url}/v1`));
    await deleteConnection(h.prisma, ownerCtx, spare.id);
    expect((await listConnections(h.prisma, ownerCtx)).map((x) => x.name)).toEqual(["Sandbox", "Doubleword prod"]);
    const actions = (await h.prisma.auditEvent.findMany({ where: { teamId: ownerCtx.team.id } })).map((e) => e.action);
    expect(actions).toEqual(expect.arrayContaining(["connection.renamed", "connection.key_replaced", "connection.tested", "connection.deleted"]));
  });
});
