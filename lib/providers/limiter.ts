// One limiter per connection, shared by everything that calls its provider: the sync worker,
// launches, cancels, imports and the provider files page all reach the provider through the adapter
// loadConnection() hands out (adapters.ts), and that adapter is wrapped here. Two things slow a
// connection, and only that connection:
// - the provider's documented rate limits (profile.capabilities.rateLimits: Bailian creates and
//   retrieves 1000 a minute, lists 100), counted per connection and kind of call in the RateLimit
//   table by rate-limiter-flexible's Prisma store, so every instance on one database shares them;
// - a 429 from the provider: the connection's backoffUntil is set from its Retry-After (30 s when it
//   names none), and every call on the connection waits until then, whoever makes it.
// A call that must wait is not made: it fails with ConnectionThrottled, which classify() calls
// retryable with the wait, so the worker reschedules the batch, a launch retries or says when to
// try again, and a page says so in words.
import "server-only";
import { RateLimiterPrisma, RateLimiterRes } from "rate-limiter-flexible";
import type { Db } from "@/lib/db/client";
import { UserError } from "@/lib/errors";
import { log } from "@/lib/log";
import type { ProviderAdapter, ProviderFailure } from "./adapter";
import type { ProviderProfile, RateLimits } from "./profile";

/** How long a connection waits after a 429 that says nothing of when to come back. */
export const DEFAULT_BACKOFF_MS = 30_000;

type CallKind = "create" | "retrieve" | "list" | "cancel" | "files";

/** A call not made: the connection is slowed down (its own rate limit, or the provider's 429). */
export class ConnectionThrottled extends UserError {
  constructor(
    readonly connectionName: string,
    readonly retryAfterMs: number,
    why: string,
  ) {
    super(`Batchboard is holding back calls to ${connectionName} for ${Math.max(1, Math.ceil(retryAfterMs / 1000))} s: ${why}.`);
    this.name = "ConnectionThrottled";
  }
}

const limiters = new WeakMap<Db, Map<string, RateLimiterPrisma>>();

function limiterFor(prisma: Db, kind: CallKind, points: number): RateLimiterPrisma {
  let byKind = limiters.get(prisma);
  if (!byKind) limiters.set(prisma, (byKind = new Map()));
  const id = `provider-${kind}/${points}`;
  let l = byKind.get(id);
  if (!l) {
    l = new RateLimiterPrisma({ storeClient: prisma, tableName: "rateLimit", keyPrefix: `provider-${kind}`, points, duration: 60, clearExpiredByTimeout: false });
    byKind.set(id, l);
  }
  return l;
}

/** The calls a limit of the profile counts ("files" calls have none documented: only the back-off holds them). */
function limitOf(limits: RateLimits | undefined, kind: CallKind): number | undefined {
  return kind === "files" ? undefined : limits?.[kind];
}

export interface ConnectionRef {
  id: string;
  name: string;
}

/** The connection's adapter, every call first through its limits and back-off. */
export function limitedAdapter(prisma: Db, conn: ConnectionRef, profile: ProviderProfile, inner: ProviderAdapter): ProviderAdapter {
  const limits = profile.capabilities.rateLimits;

  async function admit(kind: CallKind) {
    const row = await prisma.providerConnection.findUnique({ where: { id: conn.id }, select: { backoffUntil: true } });
    const wait = row?.backoffUntil ? row.backoffUntil.getTime() - Date.now() : 0;
    if (wait > 0) throw new ConnectionThrottled(conn.name, wait, "the provider answered 429 (too many requests) and asked us to wait");
    const points = limitOf(limits, kind);
    if (!points) return;
    try {
      await limiterFor(prisma, kind, points).consume(conn.id);
    } catch (err) {
      if (!(err instanceof RateLimiterRes)) throw err;
      log.warn("provider.rate_limited", { connectionId: conn.id, call: kind, limit: points, retryAfterMs: err.msBeforeNext });
      throw new ConnectionThrottled(conn.name, err.msBeforeNext, `${profile.label} takes at most ${points} ${kind} calls a minute from one account`);
    }
  }

  /** A 429 slows this connection down for everyone, for as long as the provider asked. */
  async function onFailure(err: unknown) {
    if (err instanceof ConnectionThrottled) return;
    const f = inner.classify(err);
    if (f.status !== 429) return;
    const until = new Date(Date.now() + (f.retryAfterMs ?? DEFAULT_BACKOFF_MS));
    // Only ever later: two 429s at once keep the longer wait.
    await prisma.providerConnection
      .updateMany({ where: { id: conn.id, OR: [{ backoffUntil: null }, { backoffUntil: { lt: until } }] }, data: { backoffUntil: until } })
      .catch((e) => log.warn("provider.backoff_not_stored", { connectionId: conn.id, err: e }));
    log.warn("provider.backoff", { connectionId: conn.id, until: until.toISOString(), retryAfterMs: f.retryAfterMs });
  }

  function call<A extends unknown[], R>(kind: CallKind, fn: (...a: A) => Promise<R>): (...a: A) => Promise<R> {
    return async (...a: A) => {
      await admit(kind);
      try {
        return await fn(...a);
      } catch (err) {
        await onFailure(err);
        throw err;
      }
    };
  }

  return {
    frame: inner.frame,
    encodeRequest: (r) => inner.encodeRequest(r),
    stageInput: call("files", (p: string) => inner.stageInput(p)),
    discardInput: call("files", (id: string) => inner.discardInput(id)),
    submit: call("create", (s) => inner.submit(s)),
    findByOurId: call("list", (id: string, scan?: number) => inner.findByOurId(id, scan)),
    retrieve: call("retrieve", (id: string) => inner.retrieve(id)),
    cancel: call("cancel", (id: string) => inner.cancel(id)),
    resultSources: (b) => inner.resultSources(b),
    readResults: call("files", (s, from: number) => inner.readResults(s, from)),
    parseResultLine: (l) => inner.parseResultLine(l),
    list: call("list", (q, o) => inner.list(q, o)),
    inputOf: call("files", (r) => inner.inputOf(r)),
    listFiles: call("files", () => inner.listFiles()),
    deleteFile: call("files", (id: string) => inner.deleteFile(id)),
    ...(inner.models ? { models: call("list", () => inner.models!()) } : {}),
    classify(err: unknown): ProviderFailure {
      if (err instanceof ConnectionThrottled) return { message: err.message, reason: "other", retryable: true, retryAfterMs: err.retryAfterMs, sent: "no" };
      return inner.classify(err);
    },
  };
}
