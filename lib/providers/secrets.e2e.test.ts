// A provider that repeats the key it was sent, in 400/401/429/500 bodies (JSON and plain text) and in
// its headers, on every path Batchboard calls (connection test, launch, sync, cancel, import; both
// SDKs). Afterwards the key must appear nowhere: not in any message a user is shown, not in any API
// answer, not in any row of any table of the database, not in any log line.
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { Writable } from "node:stream";
import { encryptSecret } from "@/lib/crypto";
import { setLogDestination } from "@/lib/log";
import { sandboxKeyForTeam } from "@/lib/providers/sandbox/keys";
import { handleSandboxRequest } from "@/lib/providers/sandbox/server";
import { sql } from "@/lib/db/sql";
import { cancelBatch } from "@/lib/batches/engine/cancel";
import { getBatchView } from "@/lib/batches/read/view";
import { listProviderBatches } from "@/lib/batches/history/import";
import { launchBatch } from "@/lib/batches/engine/launch";
import { launchBatchInput } from "@/lib/batches/schemas";
import { syncBatch } from "@/lib/batches/engine/sync";
import { launchInput, makeFile, makeTeam, startEngine, until, type Engine } from "@/lib/batches/engine/fixtures";
import { probeProvider } from "./connections";

let e: Engine;
const logged: string[] = [];
/** Everything a user or a client was shown: thrown messages, action results, API answers. */
const shown: string[] = [];

beforeAll(async () => {
  e = await startEngine();
  setLogDestination(
    new Writable({
      write(chunk, _enc, done) {
        logged.push(String(chunk));
        done();
      },
    }),
    "debug",
  );
  for (const m of ["log", "info", "warn", "error", "debug"] as const) {
    vi.spyOn(console, m).mockImplementation((...args: unknown[]) => void logged.push(args.map((a) => (a instanceof Error ? `${a.message}\n${a.stack}` : typeof a === "string" ? a : JSON.stringify(a))).join(" ")));
  }
});
afterAll(async () => {
  setLogDestination(undefined);
  vi.restoreAllMocks();
  await e.close();
});

/** Which calls the provider answers with an echo of the key, and how. */
let echo: ((method: string, route: string) => { status: number; json: boolean } | undefined) | undefined;

/**
 * The team's key at this provider: random letters with no shape a pattern would know (no "sk-", no
 * "Bearer" next to it in the echo of a header), so only the redaction of the connection's own key
 * can catch it. The provider behind it is the sandbox, opened with the team's sandbox key.
 */
const KEY = "Zq8wXk2pLm4nRt6vBy0cDe1fGh3jK5aUoIi9";
let sandboxKey = "";

function keyOf(req: Request) {
  return req.headers.get("x-api-key") ?? req.headers.get("authorization")?.replace(/^Bearer /, "") ?? "";
}

beforeAll(() => {
  e.intercept.fn = async (req, route) => {
    const how = echo?.(req.method, route);
    const key = keyOf(req);
    if (!how) {
      if (key !== KEY) return Response.json({ error: { message: "wrong key" } }, { status: 401 });
      const headers = new Headers(req.headers);
      if (headers.has("x-api-key")) headers.set("x-api-key", sandboxKey);
      else headers.set("authorization", `Bearer ${sandboxKey}`);
      const body = req.method === "GET" || req.method === "HEAD" ? undefined : req.body;
      return handleSandboxRequest(new Request(req.url, { method: req.method, headers, body, duplex: "half" } as RequestInit));
    }
    const message = `Incorrect API key provided: ${key}. You sent Authorization: Bearer ${key}`;
    const headers = { "x-echo-key": key, "www-authenticate": `Bearer realm="api", key="${key}"`, "retry-after": "0" };
    return how.json
      ? Response.json({ error: { message, type: "invalid_request_error", code: key } }, { status: how.status, headers })
      : new Response(`<html><body>${message}</body></html>`, { status: how.status, headers: { ...headers, "content-type": "text/html" } });
  };
});

async function capture(run: () => Promise<unknown>) {
  try {
    const out = await run();
    shown.push(JSON.stringify(out));
  } catch (err) {
    shown.push(err instanceof Error ? `${err.message} ${JSON.stringify(err)}` : String(err));
  }
}

/** Every row of every table of the database, as text. */
async function dumpDatabase(): Promise<string> {
  const tables = await sql(e.h.prisma).query<{ name: string }>(`SELECT tablename AS name FROM pg_tables WHERE schemaname = 'public'`);
  const parts: string[] = [];
  for (const t of tables) {
    const rows = await sql(e.h.prisma).query<{ row: string }>(`SELECT row_to_json(x)::text AS row FROM "${t.name}" x`);
    parts.push(...rows.map((r) => r.row));
  }
  return parts.join("\n");
}

describe("a provider that repeats the key", () => {
  it("never gets the key shown, stored or logged, on any path", async () => {
    const t = await makeTeam(e);
    sandboxKey = sandboxKeyForTeam(t.team.id);
    const key = KEY;
    const mk = (kind: string, name: string, baseUrl: string) =>
      e.h.prisma.providerConnection.create({ data: { teamId: t.team.id, kind, name, baseUrl, encryptedKey: encryptSecret(key), keyLast4: key.slice(-4), createdById: t.user.id } });
    const openai = await mk("openai-compatible", "Echo OpenAI", `${e.url}/api/sandbox/v1`);
    const anthropic = await mk("anthropic", "Echo Anthropic", `${e.url}/api/sandbox/anthropic/sandbox_ms_per_request=20`);
    const file = await makeFile(e, t.team.id, 3);
    const input = (connectionId: string, extra: Record<string, unknown> = {}) => launchBatchInput.parse(launchInput(connectionId, file.id, extra));
    const ctx = { ...t.ctx, role: "OWNER" as const };

    for (const json of [true, false]) {
      // Connection tests.
      echo = () => ({ status: 401, json });
      shown.push(JSON.stringify(await probeProvider("openai-compatible", `${e.url}/api/sandbox/v1`, key)));
      shown.push(JSON.stringify(await probeProvider("anthropic", `${e.url}/api/sandbox/anthropic`, key)));
      // Import history: the list is refused.
      await capture(() => listProviderBatches(e.h.prisma, ctx, openai.id));
      await capture(() => listProviderBatches(e.h.prisma, ctx, anthropic.id));
      // Launch: the file refused, the create failing for good, and a 429 before success.
      echo = (m, r) => (m === "POST" && r === "files" ? { status: 400, json } : undefined);
      await capture(() => launchBatch(input(openai.id), t.ctx));
      echo = (m, r) => (m === "POST" && r === "batches" ? { status: 500, json } : undefined);
      await capture(() => launchBatch(input(openai.id), t.ctx));
      echo = (m, r) => (m === "POST" && r.endsWith("messages/batches") ? { status: 400, json } : undefined);
      await capture(() => launchBatch(input(anthropic.id, { metadata: undefined }), t.ctx));
    }

    // Sync and cancel of running batches: 429 and 500 while polling, 400 to the cancel.
    let n = 0;
    echo = (m, r) => (m === "POST" && (r === "batches" || r.endsWith("messages/batches")) && n++ === 0 ? { status: 429, json: true } : undefined);
    const running = [(await launchBatch(input(openai.id), t.ctx)).batchId];
    n = 0;
    running.push((await launchBatch(input(anthropic.id, { metadata: undefined }), t.ctx)).batchId);
    for (const status of [500, 429, 401]) {
      echo = (m) => (m === "GET" ? { status, json: status !== 401 } : undefined);
      for (const id of running) shown.push(JSON.stringify(await syncBatch(e.h.prisma, id)));
      // What the batch page and the API show of it now (lastSyncError included): GET /api/batches/:id
      // answers this view as JSON (app/api/batches/_lib/handlers.ts batchResponse).
      for (const id of running) shown.push(JSON.stringify(await getBatchView(e.h.prisma, t.team.id, id)));
    }
    echo = (m, r) => (m === "POST" && r.endsWith("/cancel") ? { status: 400, json: true } : undefined);
    for (const id of running) await capture(() => cancelBatch(t.ctx, id));
    echo = undefined;
    for (const id of running) await until(e, id, () => syncBatch(e.h.prisma, id));

    // The provider's words did reach the user (redacted), so the test saw real echoes.
    expect(shown.join("\n")).toMatch(/Incorrect API key provided: \[redacted\]/);
    expect(shown.join("\n")).toMatch(/HTTP 500/);
    expect(logged.join("\n")).toMatch(/sync|launch|connection/);

    const everywhere = { shown: shown.join("\n"), logs: logged.join("\n"), database: await dumpDatabase() };
    for (const [where, text] of Object.entries(everywhere)) {
      expect(text.includes(key), `the key in ${where}`).toBe(false);
      expect(text.includes(key.slice(0, 12)), `the start of the key in ${where}`).toBe(false);
      expect(text.includes(key.slice(-12)), `the end of the key in ${where}`).toBe(false);
    }
  });
});
