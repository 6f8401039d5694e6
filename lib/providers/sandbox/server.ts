// The built-in Sandbox provider: an OpenAI-compatible batch server that Batchboard (and every test)
// talks to over HTTP through the official openai SDK, exactly as it talks to a real provider.
// Mounted by Next at /api/sandbox/v1 and /api/sandbox/<mode>/v1; routing uses only what follows the
// last "/v1/" so that tests can serve it at any prefix. A segment of that prefix naming a mode
// (../imitations.ts: doubleword, together, bailian, moonshot, groq) makes the sandbox imitate that
// provider; a mode of another shape (anthropic) is answered by its own handler; a "faults=..."
// segment injects 429s, 5xx and omitted null fields (faults.ts).
//
// Test knobs, as batch metadata (strings): `sandbox_ms_per_request` (pace, default
// SANDBOX_MS_PER_REQUEST), `sandbox_expire_after_ms` (expire early), `sandbox_fail_every` ("N": every
// N-th request fails). A request whose messages or input contain "[fail]" fails too.
import "server-only";
import { nulParam } from "@/lib/http/params";
import { teamOfSandboxKey } from "./keys";
import { SandboxError, badRequest } from "./api-error";
import { cancelBatch } from "./batches/cancel";
import { createBatch } from "./batches/create";
import { getBatch, listBatches } from "./batches/read";
import { resultContent } from "./batches/results";
import { deleteFile, findFile, fileObject, listFiles, uploadFile } from "./files";
import { INAPPROPRIATE, TEST_MODEL, answer, asksToFail, digest } from "./model";
import { modes, namedMode, ownServers } from "@/lib/providers/imitations";
import { injectedFault, parseFaults, withoutNulls, type Faults } from "./faults";
import type { SandboxMode } from "./mode";
import { log } from "@/lib/log";

type Handler = (ctx: { teamId: string; req: Request; params: string[]; query: URLSearchParams; mode: SandboxMode }) => Promise<unknown>;

const routes: { method: string; path: string[]; handler: Handler; creates?: boolean }[] = [
  { method: "GET", path: ["models"], handler: async ({ mode }) => ({ object: "list", data: (mode.models ?? [TEST_MODEL]).map(modelObject) }) },
  { method: "POST", path: ["files"], handler: ({ teamId, req, mode }) => uploadFile(teamId, req, mode), creates: true },
  { method: "GET", path: ["files"], handler: ({ teamId, query }) => listFiles(teamId, query) },
  { method: "GET", path: ["files", ":id"], handler: async ({ teamId, params }) => fileObject(await findFile(teamId, params[0])) },
  { method: "DELETE", path: ["files", ":id"], handler: ({ teamId, params }) => deleteFile(teamId, params[0]) },
  { method: "GET", path: ["files", ":id", "content"], handler: ({ teamId, params, query, mode }) => resultContent(teamId, params[0], query, mode) },
  { method: "POST", path: ["batches"], handler: async ({ teamId, req, mode }) => createBatch(teamId, await jsonBody(req), mode), creates: true },
  { method: "GET", path: ["batches"], handler: ({ teamId, query, mode }) => listBatches(teamId, query, mode) },
  { method: "GET", path: ["batches", ":id"], handler: ({ teamId, params, mode }) => getBatch(teamId, params[0], mode) },
  { method: "POST", path: ["batches", ":id", "cancel"], handler: ({ teamId, params, mode }) => cancelBatch(teamId, params[0], mode) },
  // The same test model answers directly too (connection tests, quick tries).
  ...["chat/completions", "embeddings", "responses", "completions", "moderations", "images/generations"].map((p) => ({
    method: "POST",
    path: p.split("/"),
    handler: async ({ req }: { req: Request }) => direct(`/v1/${p}`, await jsonBody(req)),
  })),
];

/** The segments of the path before its last "/v1/": the mode, faults, knobs. */
function prefixOf(pathname: string): string[] {
  const at = pathname.lastIndexOf("/v1/");
  return (at === -1 ? pathname : pathname.slice(0, at)).split("/").filter(Boolean).map(decodeURIComponent);
}

/** The mode and faults named by the path before the last "/v1/". */
export function modeAndFaults(pathname: string): { mode: SandboxMode; faults?: Faults } {
  const prefix = prefixOf(pathname);
  const name = prefix.find((s) => s in modes);
  const f = prefix.find((s) => s.startsWith("faults="));
  return { mode: namedMode(name), faults: f ? parseFaults(f) : undefined };
}

export async function handleSandboxRequest(req: Request): Promise<Response> {
  // An imitation of an API of another shape (Anthropic's Message Batches, another key header) answers itself.
  const own = prefixOf(new URL(req.url).pathname).find((s) => s in ownServers);
  if (own) return ownServers[own](req);
  try {
    const url = new URL(req.url);
    const at = url.pathname.lastIndexOf("/v1/");
    const segments = at === -1 ? [] : url.pathname.slice(at + 4).split("/").filter(Boolean).map(decodeURIComponent);
    const { mode, faults } = modeAndFaults(url.pathname);
    const teamId = authenticate(req);
    // A NUL would reach PostgreSQL (22021): refused as a bad parameter, before any lookup.
    const nul = nulParam(url.searchParams) ?? nulParam({ path: segments });
    if (nul) throw badRequest(nul.message, nul.param);
    if (faults) {
      const fault = injectedFault(faults, teamId, mode.name);
      if (fault) {
        // Read the body to its end (discarding it): an unread body would be parsed as the next request
        // on a kept-alive connection.
        const reader = req.body?.getReader();
        if (reader) while (!(await reader.read()).done);
        return fault;
      }
    }
    for (const route of routes) {
      if (route.method !== req.method || route.path.length !== segments.length) continue;
      const params: string[] = [];
      if (!route.path.every((p, i) => (p.startsWith(":") ? params.push(segments[i]) : p === segments[i]))) continue;
      const out = await route.handler({ teamId, req, params, query: url.searchParams, mode });
      if (out instanceof Response) return out;
      const body = faults?.omitNulls ? withoutNulls(out) : out;
      return Response.json(body, { status: route.creates ? mode.createStatus : 200 });
    }
    throw new SandboxError(404, `Unknown request URL: ${req.method} ${url.pathname}.`, "invalid_request_error", "unknown_url");
  } catch (err) {
    if (err instanceof SandboxError) return err.toResponse();
    log.error("sandbox.unexpected_error", { method: req.method, err });
    return new SandboxError(500, "The sandbox failed to process the request.", "server_error").toResponse();
  }
}

function authenticate(req: Request) {
  const header = req.headers.get("authorization") ?? "";
  const key = /^Bearer\s+(.+)$/i.exec(header)?.[1]?.trim();
  const teamId = teamOfSandboxKey(key);
  if (!teamId) {
    // Never echo the key back: it may be a real provider's key sent to the wrong place.
    throw new SandboxError(
      401,
      key ? "Incorrect API key provided. Each team's Sandbox key is made and kept by Batchboard itself: use the team's Sandbox connection." : "You didn't provide an API key.",
      "invalid_request_error",
      "invalid_api_key",
    );
  }
  return teamId;
}

async function jsonBody(req: Request): Promise<unknown> {
  try {
    return await req.json();
  } catch {
    throw badRequest("We could not parse the JSON body of your request.");
  }
}

function direct(endpoint: string, body: unknown) {
  if (!body || typeof body !== "object" || Array.isArray(body)) throw badRequest("The body must be a JSON object.");
  const b = body as Record<string, unknown>;
  if (asksToFail(b)) throw badRequest(INAPPROPRIATE.message, null, INAPPROPRIATE.code);
  const seed = digest(JSON.stringify(b));
  return answer(endpoint, b, { seed, index: parseInt(seed.slice(0, 8), 16) % 5, created: Math.floor(Date.now() / 1000) });
}

function modelObject(id: string) {
  return { id, object: "model", created: 1_700_000_000, owned_by: "batchboard-sandbox" };
}
