// The HTTP client for every OpenAI-compatible provider: the official `openai` SDK, pointed at the
// connection's base URL with its decrypted key. The key lives only inside this call.
// Every provider call, of both SDKs, goes out through providerFetch(): the outbound guard
// (lib/net/outbound.ts) for addresses a user typed, and the redaction of the key from whatever the
// provider answers (lib/net/redacting-fetch.ts).
import "server-only";
import OpenAI from "openai";
import { db } from "@/lib/db/client";
import { decryptSecret } from "@/lib/crypto";
import { env } from "@/lib/env";
import { NotFoundError, UserError } from "@/lib/errors";
import { baseUrlProblem, outboundFetch } from "@/lib/net/outbound";
import { redactingFetch } from "@/lib/net/redacting-fetch";
import { isBuiltInKind, isSandboxTarget, profileOf, SANDBOX_TARGET } from "./profiles";

/**
 * The URL a connection's calls go to: its own, or this app's sandbox ("builtin": the Sandbox
 * connection; "builtin:<mode>": the sandbox imitating a provider). Anthropic's SDK adds /v1 itself.
 */
export function resolveBaseUrl(kind: string, baseUrl: string) {
  if (isBuiltInKind(kind) || baseUrl === "builtin") return `${env().INTERNAL_URL}/api/sandbox/v1`;
  if (baseUrl.startsWith(SANDBOX_TARGET)) {
    const mode = encodeURIComponent(baseUrl.slice(SANDBOX_TARGET.length));
    return profileOf(kind).capabilities.protocol === "anthropic-message-batches" ? `${env().INTERNAL_URL}/api/sandbox/${mode}` : `${env().INTERNAL_URL}/api/sandbox/${mode}/v1`;
  }
  return baseUrl.replace(/\/$/, "");
}

/**
 * The fetch a connection's SDK client uses. The built-in sandbox is this app itself, at a URL built
 * from INTERNAL_URL; every other base URL was typed by a user and goes through the outbound guard,
 * checked again here in case it was stored before the guard's rules.
 */
export function providerFetch(kind: string, baseUrl: string, apiKey: string): typeof fetch {
  if (isBuiltInKind(kind) || isSandboxTarget(baseUrl)) return redactingFetch(fetch, [apiKey]);
  const problem = baseUrlProblem(baseUrl);
  if (problem) throw new UserError(`This connection's base URL cannot be used: ${problem} Edit the connection.`);
  return redactingFetch(outboundFetch, [apiKey]);
}

export function makeClient(kind: string, baseUrl: string, apiKey: string, opts: { maxRetries?: number; timeoutMs?: number } = {}) {
  profileOf(kind); // unknown kinds fail loudly
  return new OpenAI({
    apiKey,
    baseURL: resolveBaseUrl(kind, baseUrl),
    maxRetries: opts.maxRetries ?? 2,
    timeout: opts.timeoutMs ?? 120_000,
    fetch: errorEnvelope(providerFetch(kind, baseUrl, apiKey)),
  });
}

/**
 * The openai SDK keeps only the `error` key of an error body. Providers that answer without one
 * (DashScope: {"code": "...", "message": "..."}) would lose their message to "400 status code (no
 * body)": such a body is handed on as {"error": <the body>}.
 */
export function errorEnvelope(inner: typeof fetch): typeof fetch {
  return async (input, init) => {
    const res = await inner(input, init);
    if (res.status < 400 || !/\bjson\b/i.test(res.headers.get("content-type") ?? "")) return res;
    const text = await res.text();
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      body = undefined;
    }
    const wrap = body && typeof body === "object" && !Array.isArray(body) && !("error" in body);
    const headers = new Headers(res.headers);
    headers.delete("content-length");
    return new Response(wrap ? JSON.stringify({ error: body }) : text, { status: res.status, statusText: res.statusText, headers });
  };
}

/** A client for a connection of the team; another team's connection is "not found". */
export async function clientForConnection(teamId: string, connectionId: string, opts?: { maxRetries?: number; timeoutMs?: number }) {
  const prisma = await db();
  const c = await prisma.providerConnection.findFirst({
    where: { id: connectionId, teamId },
    select: { id: true, kind: true, baseUrl: true, encryptedKey: true, name: true },
  });
  if (!c) throw new NotFoundError("That connection");
  return { connection: c, client: makeClient(c.kind, c.baseUrl, decryptSecret(c.encryptedKey), opts) };
}
