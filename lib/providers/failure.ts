// What a failed provider call becomes in words, for every path (connection test, launch, sync,
// cancel, import) and both SDKs. The answers were already redacted as they came in
// (lib/net/redacting-fetch.ts); these functions only ever quote the provider's own message from a
// JSON error body, never a raw body (an HTML page, a proxy's error, whatever an internal service
// says), and they say the same thing for every way a host cannot be reached (refused, unknown
// name, timeout, TLS, refused by the outbound guard), so that a connection test cannot be used to
// map which internal ports and names exist. judgeFailure() is the part of an adapter's classify()
// both protocols share: whether to try again, how long the provider asked us to wait, and whether a
// create may have made a batch.
import Anthropic from "@anthropic-ai/sdk";
import OpenAI from "openai";
import { UserError } from "@/lib/errors";
import { ALLOW_SETTING, isOutboundRefused } from "@/lib/net/outbound";
import { redact } from "@/lib/redact";
import type { ProbeResult, ProviderFailure } from "./adapter";

/** What the SDKs' errors have in common (openai and @anthropic-ai/sdk). */
interface SdkError {
  status?: unknown;
  error?: unknown;
  headers?: { get(name: string): string | null };
}

/** The HTTP status of a provider's answer, when there was one. */
export function statusOf(err: unknown): number | undefined {
  const s = (err as SdkError | null)?.status;
  return typeof s === "number" ? s : undefined;
}

/** Whether the provider could not be reached at all (no HTTP answer). */
export function isUnreachable(err: unknown): boolean {
  return isOutboundRefused(err) || err instanceof OpenAI.APIConnectionError || err instanceof Anthropic.APIConnectionError;
}

const text = (v: unknown) => (typeof v === "string" && v.trim() ? v : undefined);

/**
 * The provider's own message, from a JSON error body: OpenAI's {error: {message}}, Anthropic's
 * {type: "error", error: {type, message}}, DashScope's {code, message} (see errorEnvelope in
 * openai-compatible/client.ts), {error: "text"}, {detail: "text"}. Undefined when the body was not JSON or had none.
 */
export function providerSaid(err: unknown): string | undefined {
  const body = (err as SdkError | null)?.error;
  if (!body || typeof body !== "object") return undefined;
  const b = body as Record<string, unknown>;
  const inner = b.error && typeof b.error === "object" ? (b.error as Record<string, unknown>) : undefined;
  const said = text(inner?.message) ?? text(b.message) ?? text(b.error) ?? text(b.msg) ?? text(b.detail);
  return said === undefined ? undefined : redact(said.replace(/\s+/g, " ").trim()).slice(0, 500);
}

/** The host a base URL points at, for messages. */
export function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return url;
  }
}

/** One sentence for every way a host cannot be reached. */
export function unreachableMessage(host: string): string {
  return (
    `Could not reach ${host}. Check the base URL and that the provider is up. ` +
    `(A server on your own network must first be allowed by the operator in ${ALLOW_SETTING}.)`
  );
}

/** "HTTP 401: Incorrect API key provided." — the status and the provider's words, or a plain note. */
export function httpFailure(err: unknown): string {
  const status = statusOf(err);
  const said = providerSaid(err);
  return `HTTP ${status}${said ? `: ${said}` : " with no error message in JSON"}`;
}

/** A short description of any failure of a provider call, for messages, lastSyncError and logs: never a raw body. */
export function describeFailure(err: unknown, host?: string): string {
  if (isUnreachable(err)) return host ? unreachableMessage(host) : "the provider could not be reached";
  if (statusOf(err) !== undefined) return httpFailure(err);
  // Our own words (a connection held back by its limiter): no class name in front.
  if (err instanceof UserError) return redact(err.message).slice(0, 500);
  if (err instanceof Error) return redact(`${err.name}: ${err.message}`).slice(0, 500);
  return redact(String(err)).slice(0, 500);
}

/** The system error code (ECONNREFUSED, ENOTFOUND, ...) somewhere under an SDK's connection error. */
export function codeOf(err: unknown): string | undefined {
  for (let e = err as { code?: unknown; cause?: unknown } | undefined, i = 0; e && i < 6; e = e.cause as typeof e, i++) {
    if (typeof e.code === "string") return e.code;
    // undici reports several attempts (IPv4 and IPv6) as an AggregateError.
    const inner = (e as { errors?: unknown[] }).errors;
    if (Array.isArray(inner) && inner.length) {
      const c = codeOf(inner[0]);
      if (c) return c;
    }
  }
  return undefined;
}

/**
 * A connection test's failure in plain words: the key refused (with the provider's words), another
 * HTTP answer (its status and words), or could not reach (one message for every way). `expected`
 * says what the base URL should look like, for an answer that was not the API's.
 */
export function probeFailure(err: unknown, host: string, expected: string): ProbeResult {
  if (isUnreachable(err)) return { ok: false, outcome: "unreachable", message: unreachableMessage(host) };
  const status = statusOf(err);
  if (status === 401 || status === 403) {
    return { ok: false, outcome: "auth", message: `The provider refused the key (HTTP ${status})${providerSaid(err) ? `: ${providerSaid(err)}` : "."}` };
  }
  if (status !== undefined) {
    const said = providerSaid(err);
    return {
      ok: false,
      outcome: "http",
      message: said ? `The provider answered HTTP ${status}: ${said}` : `${host} answered HTTP ${status} without an API error in JSON. ${expected}`,
    };
  }
  // An answer that is not what the API sends (an HTML page with 200, bad JSON...).
  return { ok: false, outcome: "http", message: `${host} did not answer like the provider's API. ${expected}` };
}

/** How long an answer asked us to wait, from `retry-after-ms` or `retry-after` (seconds or an HTTP date). */
export function retryAfterOf(headers: { get(name: string): string | null } | undefined): number | undefined {
  const ms = Number(headers?.get("retry-after-ms"));
  if (Number.isFinite(ms) && ms > 0) return ms;
  const v = headers?.get("retry-after");
  if (!v) return undefined;
  const s = Number(v);
  if (Number.isFinite(s)) return Math.max(0, s * 1000);
  const at = Date.parse(v);
  return Number.isNaN(at) ? undefined : Math.max(0, at - Date.now());
}

/** Whether a connection error happened before anything was sent (so nothing can have been created). */
export function neverSent(err: unknown): boolean {
  if (isOutboundRefused(err)) return true;
  const code = codeOf(err);
  return code === "ECONNREFUSED" || code === "ENOTFOUND" || code === "EAI_AGAIN" || code === "EAI_NONAME";
}

/** No answer in time (both SDKs' timeout errors). */
export function isTimeout(err: unknown): boolean {
  return err instanceof OpenAI.APIConnectionTimeoutError || err instanceof Anthropic.APIConnectionTimeoutError;
}

/**
 * A failure judged by what both protocols share. Retried: a broken connection, 429 and 5xx (not
 * 408, nor a refusal by the outbound guard, which no retry changes). A create may have made a batch
 * ("maybe") after a timeout, a reset, a 408 or a 5xx; not ("no") when nothing left this machine, or
 * the provider answered 429, a 4xx, or a status the protocol says means "not taken" (`notTaken`:
 * Anthropic's 529, overloaded). `retryAfterOn`: the statuses whose Retry-After the protocol honours.
 */
export function judgeFailure(err: unknown, o: { notTaken?: number[]; retryAfterOn: number[] }): ProviderFailure {
  const status = statusOf(err);
  const unreachable = isUnreachable(err);
  const reason = isTimeout(err) ? "timeout" : unreachable ? "unreachable" : status !== undefined ? "http" : "other";
  const retryable = !isOutboundRefused(err) && (unreachable || status === 429 || (status !== undefined && status >= 500));
  let sent: ProviderFailure["sent"];
  if (unreachable) sent = neverSent(err) ? "no" : "maybe";
  else if (status === undefined) sent = "maybe";
  else if (status === 429 || o.notTaken?.includes(status)) sent = "no";
  else sent = status >= 500 || status === 408 ? "maybe" : "no";
  const retryAfterMs = status !== undefined && o.retryAfterOn.includes(status) ? retryAfterOf((err as SdkError).headers) : undefined;
  return { message: describeFailure(err), reason, status, said: providerSaid(err), retryable, retryAfterMs, sent };
}
