// The HTTP client of Anthropic connections: the official `@anthropic-ai/sdk`, pointed at the
// connection's base URL with its decrypted key (sent as x-api-key with anthropic-version), and the
// connection test. The key lives only inside these calls and never reaches a message.
import "server-only";
import Anthropic from "@anthropic-ai/sdk";
import type { Db } from "@/lib/db/client";
import { decryptSecret } from "@/lib/crypto";
import type { ProbeResult } from "./connections";
import { resolveBaseUrl } from "./client";
import { codeOf, unreachableMessage } from "./probe-words";
import { profiles } from "./registry";
import { log } from "@/lib/log";

export function isAnthropicKind(kind: string | null | undefined): boolean {
  return !!kind && profiles[kind]?.shape === "anthropic";
}

export function makeAnthropicClient(baseUrl: string, apiKey: string, opts: { maxRetries?: number; timeoutMs?: number } = {}) {
  return new Anthropic({
    apiKey,
    baseURL: resolveBaseUrl("anthropic", baseUrl).replace(/\/+$/, ""),
    maxRetries: opts.maxRetries ?? 2,
    timeout: opts.timeoutMs ?? 120_000,
  });
}

/** The connection's client, read through the given database handle (the worker may have its own). */
export async function anthropicClientFor(prisma: Db, connectionId: string, opts: { maxRetries?: number; timeoutMs?: number } = {}) {
  const c = await prisma.providerConnection.findUniqueOrThrow({
    where: { id: connectionId },
    select: { id: true, name: true, kind: true, baseUrl: true, encryptedKey: true },
  });
  return { connection: c, client: makeAnthropicClient(c.baseUrl, decryptSecret(c.encryptedKey), opts) };
}

/** Whether a connection is of the Anthropic shape (the dispatch of launch, sync and cancel). */
export async function isAnthropicConnection(prisma: Db, connectionId: string): Promise<boolean> {
  const c = await prisma.providerConnection.findUnique({ where: { id: connectionId }, select: { kind: true } });
  return isAnthropicKind(c?.kind);
}

/** The provider's own words from an SDK error: { type: "error", error: { type, message } }. */
export function anthropicMessage(err: InstanceType<typeof Anthropic.APIError>): string {
  const body = err.error as { error?: { message?: unknown }; message?: unknown } | undefined;
  const m = body?.error?.message ?? body?.message;
  return typeof m === "string" ? m : err.message.replace(/^\d{3}\s*/, "");
}

/** Whether a connection error happened before anything was sent (so nothing can have been created). */
export function neverSent(err: unknown): boolean {
  const code = codeOf(err);
  return code === "ECONNREFUSED" || code === "ENOTFOUND" || code === "EAI_AGAIN" || code === "EAI_NONAME";
}

/** A cheap authenticated call (list one batch) and what happened, in plain words. */
export async function probeAnthropic(baseUrl: string, apiKey: string, timeoutMs: number): Promise<ProbeResult> {
  const client = makeAnthropicClient(baseUrl, apiKey, { maxRetries: 0, timeoutMs });
  const host = (() => {
    try {
      return new URL(client.baseURL).host;
    } catch {
      return client.baseURL;
    }
  })();
  const scrub = (t: string) => (apiKey ? t.split(apiKey).join("••••") : t).replace(/\s+/g, " ").trim().slice(0, 300);
  try {
    await client.messages.batches.list({ limit: 1 });
    return { ok: true, outcome: "ok", message: "Connected. The key works (Message Batches listed)." };
  } catch (err) {
    if (err instanceof Anthropic.APIConnectionTimeoutError) {
      return { ok: false, outcome: "unreachable", message: `No answer from ${host} within ${Math.round(timeoutMs / 100) / 10} seconds (timeout).` };
    }
    if (err instanceof Anthropic.APIConnectionError) {
      const message = unreachableMessage(host, codeOf(err));
      return { ok: false, outcome: "unreachable", message };
    }
    if (err instanceof Anthropic.APIError && (err.status === 401 || err.status === 403)) {
      return { ok: false, outcome: "auth", message: `Anthropic refused the key (HTTP ${err.status}): ${scrub(anthropicMessage(err)) || "no details given"}` };
    }
    if (err instanceof Anthropic.APIError && typeof err.status === "number") {
      return { ok: false, outcome: "http", message: `The provider answered HTTP ${err.status}: ${scrub(anthropicMessage(err)) || "no details given"}` };
    }
    log.warn("connection.test_failed", { kind: "anthropic", host, err });
    return { ok: false, outcome: "http", message: `${host} did not answer like Anthropic's API. Check the base URL (https://api.anthropic.com).` };
  }
}
