// The HTTP client of Anthropic connections: the official `@anthropic-ai/sdk`, pointed at the
// connection's base URL with its decrypted key (sent as x-api-key with anthropic-version), and the
// connection test. The key lives only inside these calls and never reaches a message.
import "server-only";
import Anthropic from "@anthropic-ai/sdk";
import type { Db } from "@/lib/db/client";
import { decryptSecret } from "@/lib/crypto";
import { UserError } from "@/lib/errors";
import { log } from "@/lib/log";
import { isOutboundRefused } from "@/lib/net/outbound";
import { providerFetch, resolveBaseUrl } from "./client";
import { codeOf, hostOf, probeFailure, providerSaid, type ProbeResult } from "./failure";
import { profiles } from "./profiles";

export function isAnthropicKind(kind: string | null | undefined): boolean {
  return !!kind && profiles[kind]?.capabilities.protocol === "anthropic-message-batches";
}

export function makeAnthropicClient(baseUrl: string, apiKey: string, opts: { maxRetries?: number; timeoutMs?: number } = {}) {
  return new Anthropic({
    apiKey,
    baseURL: resolveBaseUrl("anthropic", baseUrl).replace(/\/+$/, ""),
    maxRetries: opts.maxRetries ?? 2,
    timeout: opts.timeoutMs ?? 120_000,
    fetch: providerFetch("anthropic", baseUrl, apiKey),
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

/** The provider's own words from an SDK error ({ type: "error", error: { type, message } }), or its status alone. */
export function anthropicMessage(err: InstanceType<typeof Anthropic.APIError>): string {
  return providerSaid(err) ?? `HTTP ${err.status} with no error message`;
}

/** Whether a connection error happened before anything was sent (so nothing can have been created). */
export function neverSent(err: unknown): boolean {
  if (isOutboundRefused(err)) return true;
  const code = codeOf(err);
  return code === "ECONNREFUSED" || code === "ENOTFOUND" || code === "EAI_AGAIN" || code === "EAI_NONAME";
}

/** A cheap authenticated call (list one batch) and what happened, in plain words. */
export async function probeAnthropic(baseUrl: string, apiKey: string, timeoutMs: number): Promise<ProbeResult> {
  let client: Anthropic;
  try {
    client = makeAnthropicClient(baseUrl, apiKey, { maxRetries: 0, timeoutMs });
  } catch (err) {
    if (err instanceof UserError) return { ok: false, outcome: "unreachable", message: err.message };
    throw err;
  }
  try {
    await client.messages.batches.list({ limit: 1 });
    return { ok: true, outcome: "ok", message: "Connected. The key works (Message Batches listed)." };
  } catch (err) {
    const host = hostOf(client.baseURL);
    const result = probeFailure(err, host, "Check the base URL (https://api.anthropic.com, without /v1).");
    log.info("connection.test_failed", { kind: "anthropic", host, outcome: result.outcome, err });
    return result;
  }
}
