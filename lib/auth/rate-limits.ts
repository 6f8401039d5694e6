// Rate limits on sign-in, sign-up and invite acceptance, per client address and per account. Every
// number is in LIMITS and nowhere else.
//
// The counters live in the database (the RateLimit table), so several instances on one PostgreSQL
// share them, and the embedded PGlite keeps them across a restart. They are kept by
// rate-limiter-flexible's Prisma store: it reaches the database through our own Prisma client, so
// one store works on both drivers (its PostgreSQL store wants a pg Pool, which the embedded database
// does not have, and creates its table itself instead of through our migrations), and it counts
// with one atomic upsert per attempt (INSERT ... ON CONFLICT DO UPDATE points = points + 1), so
// attempts made at the same moment are all counted (tested with 40 at once).
//
// An attempt is counted BEFORE the work it guards (countAttempt), and refused once a limit is used up:
// checking first and counting after a failure would let a burst of parallel guesses all pass the
// check. A success then gives its attempt back (per address) or clears the account's failures
// (attemptSucceeded), so the limits count failures, not people signing in. A window is fixed: it
// starts at the first attempt and ends `minutes` later, whatever is tried meanwhile.
import "server-only";
import { RateLimiterPrisma, RateLimiterRes } from "rate-limiter-flexible";
import type { Db } from "@/lib/db/client";
import { settings } from "@/lib/env";
import { sha256 } from "@/lib/crypto";
import { UserError } from "@/lib/errors";
import { addressBlock } from "@/lib/http/client-ip";
import { log } from "@/lib/log";

type OnSuccess = "refund" | "reset" | "keep";

/** Each limit: attempts allowed per window, the window, and what a success does to the count. */
export function limits() {
  return {
    /** Sign-in and password-change attempts from one address (IPv6: one /64). */
    signInPerIp: { points: 50, minutes: 15, onSuccess: "refund" as OnSuccess },
    /**
     * Sign-in and password-change attempts on one account (its email, known or not). Once used up,
     * even the right password is refused until the window ends.
     */
    signInPerAccount: { points: 10, minutes: 15, onSuccess: "reset" as OnSuccess },
    /** Sign-ups from one address, made or refused (an office behind one address may raise it). */
    signUpPerIp: { points: settings().SIGN_UPS_PER_IP_PER_HOUR, minutes: 60, onSuccess: "keep" as OnSuccess },
    /** Sign-ups with one email. */
    signUpPerEmail: { points: 5, minutes: 60, onSuccess: "keep" as OnSuccess },
    /** Invite links tried from one address. */
    invitePerIp: { points: 20, minutes: 15, onSuccess: "refund" as OnSuccess },
    /** Invite links tried by one signed-in account. */
    invitePerAccount: { points: 10, minutes: 15, onSuccess: "reset" as OnSuccess },
    /** Requests made with one API token (its id), answered or not. */
    apiPerToken: { points: settings().API_REQUESTS_PER_MINUTE, minutes: 1, onSuccess: "keep" as OnSuccess },
  };
}

export type LimitName = keyof ReturnType<typeof limits>;

/** One attempt as one limit counts it: the limit, and whose attempt (an address block, an email's hash, a user id). */
export interface Attempt {
  limit: LimitName;
  key: string;
}

/** Emails are counted by their hash: the table holds no address that nobody signed up with. */
const emailKey = (email: string) => sha256(email.trim().toLowerCase());

export const signInAttempt = (ip: string, email: string): Attempt[] => [
  { limit: "signInPerIp", key: addressBlock(ip) },
  { limit: "signInPerAccount", key: emailKey(email) },
];

export const signUpAttempt = (ip: string, email: string): Attempt[] => [
  { limit: "signUpPerIp", key: addressBlock(ip) },
  { limit: "signUpPerEmail", key: emailKey(email) },
];

export const inviteAttempt = (ip: string, userId: string): Attempt[] => [
  { limit: "invitePerIp", key: addressBlock(ip) },
  { limit: "invitePerAccount", key: userId },
];

export const apiRequest = (tokenId: string): Attempt[] => [{ limit: "apiPerToken", key: tokenId }];

/** "Try again in 4 minutes." for a wait in seconds. */
export function tryAgainIn(seconds: number): string {
  const s = Math.max(1, Math.ceil(seconds));
  const [n, unit] = s < 60 ? [s, "second"] : s <= 3600 ? [Math.ceil(s / 60), "minute"] : [Math.ceil(s / 3600), "hour"];
  return `Try again in ${n} ${unit}${n === 1 ? "" : "s"}.`;
}

export class TooManyAttemptsError extends UserError {
  constructor(readonly retryAfterSeconds: number) {
    super(`Too many attempts. ${tryAgainIn(retryAfterSeconds)}`);
    this.name = "TooManyAttemptsError";
  }
}

// One store per database client and limit (tests open a database per file). One of them clears rows
// expired for an hour, every 5 minutes, for the whole table.
const stores = new WeakMap<Db, Map<string, RateLimiterPrisma>>();

function store(prisma: Db, name: LimitName): { limiter: RateLimiterPrisma; onSuccess: OnSuccess } {
  const l = limits()[name];
  let byLimit = stores.get(prisma);
  if (!byLimit) stores.set(prisma, (byLimit = new Map()));
  const id = `${name}/${l.points}`;
  let limiter = byLimit.get(id);
  if (!limiter) {
    limiter = new RateLimiterPrisma({
      storeClient: prisma,
      tableName: "rateLimit",
      keyPrefix: name,
      points: l.points,
      duration: l.minutes * 60,
      clearExpiredByTimeout: byLimit.size === 0,
    });
    byLimit.set(id, limiter);
  }
  return { limiter, onSuccess: l.onSuccess };
}

const secondsOf = (res: RateLimiterRes) => Math.max(1, Math.ceil(res.msBeforeNext / 1000));

/**
 * Counts one attempt against each limit. Throws TooManyAttemptsError, saying when to try again, when
 * one of them is used up: the caller must then not go on.
 */
export async function countAttempt(prisma: Db, attempts: Attempt[]): Promise<void> {
  const results = await Promise.allSettled(attempts.map((a) => store(prisma, a.limit).limiter.consume(a.key)));
  let wait = 0;
  for (const [i, r] of results.entries()) {
    if (r.status === "fulfilled") continue;
    if (!(r.reason instanceof RateLimiterRes)) throw r.reason;
    wait = Math.max(wait, secondsOf(r.reason));
    log.warn("auth.rate_limited", { limit: attempts[i].limit, key: attempts[i].key, retryAfterSeconds: secondsOf(r.reason) });
  }
  if (wait > 0) throw new TooManyAttemptsError(wait);
}

/** The attempt succeeded: per limit, give the attempt back, clear the failures, or keep it counted. */
export async function attemptSucceeded(prisma: Db, attempts: Attempt[]): Promise<void> {
  await Promise.all(
    attempts.map(async (a) => {
      const { limiter, onSuccess } = store(prisma, a.limit);
      if (onSuccess === "refund") await limiter.reward(a.key, 1);
      else if (onSuccess === "reset") await limiter.delete(a.key);
    }),
  );
}

/** Reads without counting: seconds until these attempts may be made again, 0 when they may now. */
export async function retryAfterSeconds(prisma: Db, attempts: Attempt[]): Promise<number> {
  const waits = await Promise.all(
    attempts.map(async (a) => {
      const { limiter } = store(prisma, a.limit);
      const res = await limiter.get(a.key);
      return res && res.consumedPoints >= limiter.points ? secondsOf(res) : 0;
    }),
  );
  return Math.max(0, ...waits);
}
