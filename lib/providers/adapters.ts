// The registry of adapters, server-only: one per protocol (a profile's capabilities.protocol), and
// loadConnection(), the one read and decryption of a connection an operation makes. A kind gets an
// adapter of its own only when its profile's flags cannot say how it behaves: then a protocol of its
// own and one line here.
import "server-only";
import type { Db } from "@/lib/db/client";
import { decryptSecret } from "@/lib/crypto";
import { env } from "@/lib/env";
import { NotFoundError } from "@/lib/errors";
import type { AdapterFactory, CallOptions, ProviderAdapter } from "./adapter";
import { anthropicAdapter } from "./anthropic/adapter";
import { effectiveProfile } from "./connections.limits";
import { readConnectionLimits } from "./connections.limits.read";
import { openaiBatchAdapter } from "./openai-compatible/adapter";
import type { Capabilities, ProviderProfile } from "./profile";
import { limitedAdapter } from "./limiter";
import { pollEveryMs } from "./poll";
import { isSandboxTarget, profileOf } from "./profiles";

const byProtocol: Record<Capabilities["protocol"], AdapterFactory> = {
  "openai-batch": openaiBatchAdapter,
  "anthropic-message-batches": anthropicAdapter,
};

/** The adapter of a kind's protocol (an unknown kind fails loudly). */
export function adapterFor(kind: string): AdapterFactory {
  return byProtocol[profileOf(kind).capabilities.protocol];
}

/** A connection, read once for an operation: its effective profile and its adapter, the key inside it. */
export interface Connection {
  id: string;
  name: string;
  kind: string;
  baseUrl: string;
  /** The kind's profile with the team's own limits laid over it (custom kinds). */
  profile: ProviderProfile;
  adapter: ProviderAdapter;
  /** Runs on Batchboard's own sandbox (the Sandbox, or an imitation of its provider). */
  onSandbox: boolean;
  /** The least time between two polls of one batch: the provider's own ask (poll.ts). */
  pollFloorMs: number;
  /** Delete a batch's input file at the provider once the batch has ended. */
  deleteInputFiles: boolean;
}

/**
 * Reads and decrypts a connection once. With a team, another team's connection is "not found"; the
 * sync worker, which acts for no one, reads it by id alone. `opts` sets the SDK's timeout and its own
 * retries for this operation's calls (0 where the engine retries itself).
 */
export async function loadConnection(prisma: Db, teamId: string | null, id: string, opts: CallOptions = {}): Promise<Connection> {
  const c = await prisma.providerConnection.findFirst({
    where: { id, ...(teamId ? { teamId } : {}) },
    select: { id: true, name: true, kind: true, baseUrl: true, encryptedKey: true, limits: true, deleteInputFiles: true, fileExpiryDays: true },
  });
  if (!c) throw new NotFoundError("That connection");
  const profile = effectiveProfile(c.kind, readConnectionLimits(c), { name: c.name });
  const fileExpirySeconds = profile.capabilities.fileExpiry && c.fileExpiryDays ? c.fileExpiryDays * 86_400 : undefined;
  const inner = adapterFor(c.kind).connect({ kind: c.kind, baseUrl: c.baseUrl, apiKey: decryptSecret(c.encryptedKey), profile, fileExpirySeconds }, opts);
  // Every caller (worker, launch, import, files page) shares the connection's limits and back-off.
  const adapter = limitedAdapter(prisma, c, profile, inner);
  const onSandbox = profile.builtIn === true || isSandboxTarget(c.baseUrl);
  return { id: c.id, name: c.name, kind: c.kind, baseUrl: c.baseUrl, profile, adapter, onSandbox, deleteInputFiles: c.deleteInputFiles, pollFloorMs: pollEveryMs(profile, env().SYNC_POLL_OVERRIDE_MS) };
}
