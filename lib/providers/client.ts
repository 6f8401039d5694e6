// The HTTP client for every OpenAI-compatible provider: the official `openai` SDK, pointed at the
// connection's base URL with its decrypted key. The key lives only inside this call.
import "server-only";
import OpenAI from "openai";
import { db } from "@/lib/db/client";
import { decryptSecret } from "@/lib/crypto";
import { env } from "@/lib/env";
import { NotFoundError } from "@/lib/errors";
import { profileOf, SANDBOX_TARGET } from "./registry";

/**
 * The URL a connection's calls go to: its own, or this app's sandbox ("builtin": the Sandbox
 * connection; "builtin:<mode>": the sandbox imitating a provider). Anthropic's SDK adds /v1 itself.
 */
export function resolveBaseUrl(kind: string, baseUrl: string) {
  if (kind === "sandbox" || baseUrl === "builtin") return `${env().INTERNAL_URL}/api/sandbox/v1`;
  if (baseUrl.startsWith(SANDBOX_TARGET)) {
    const mode = encodeURIComponent(baseUrl.slice(SANDBOX_TARGET.length));
    return profileOf(kind).shape === "anthropic" ? `${env().INTERNAL_URL}/api/sandbox/${mode}` : `${env().INTERNAL_URL}/api/sandbox/${mode}/v1`;
  }
  return baseUrl.replace(/\/$/, "");
}

export function makeClient(kind: string, baseUrl: string, apiKey: string, opts: { maxRetries?: number; timeoutMs?: number } = {}) {
  profileOf(kind); // unknown kinds fail loudly
  return new OpenAI({
    apiKey,
    baseURL: resolveBaseUrl(kind, baseUrl),
    maxRetries: opts.maxRetries ?? 2,
    timeout: opts.timeoutMs ?? 120_000,
  });
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
