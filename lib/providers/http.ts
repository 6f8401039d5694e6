// What both adapters share about HTTP: where a connection's calls go (resolveBaseUrl), the one fetch
// every call of both SDKs goes out through (providerFetch: the outbound guard, lib/net/outbound.ts,
// for addresses a user typed, and the redaction of the key from whatever the provider answers,
// lib/net/redacting-fetch.ts), a streamed body read line by line, and the walk over a cursor list.
import "server-only";
import { Readable } from "node:stream";
import type { ReadableStream as NodeReadableStream } from "node:stream/web";
import readline from "node:readline";
import { env } from "@/lib/env";
import { UserError } from "@/lib/errors";
import { baseUrlProblem, outboundFetch } from "@/lib/net/outbound";
import { redactingFetch } from "@/lib/net/redacting-fetch";
import { isBuiltInKind, isSandboxTarget, SANDBOX_TARGET } from "./profiles";

/**
 * The URL a connection's calls go to: its own, or this app's sandbox ("builtin": the Sandbox
 * connection; "builtin:<mode>": the sandbox imitating a provider), with /v1 unless the SDK adds it
 * itself (Anthropic's does).
 */
export function resolveBaseUrl(kind: string, baseUrl: string, opts: { sdkAddsV1?: boolean } = {}) {
  const v1 = opts.sdkAddsV1 ? "" : "/v1";
  if (isBuiltInKind(kind) || baseUrl === "builtin") return `${env().INTERNAL_URL}/api/sandbox${v1}`;
  if (baseUrl.startsWith(SANDBOX_TARGET)) return `${env().INTERNAL_URL}/api/sandbox/${encodeURIComponent(baseUrl.slice(SANDBOX_TARGET.length))}${v1}`;
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

/** Lines of a streamed HTTP body, one at a time, with backpressure (nothing buffered whole). */
export async function* linesOf(res: Response): AsyncGenerator<string> {
  if (!res.body) return;
  const input = Readable.fromWeb(res.body as unknown as NodeReadableStream);
  const rl = readline.createInterface({ input, crlfDelay: Infinity });
  try {
    for await (const line of rl) yield line;
  } finally {
    rl.close();
    input.destroy();
  }
}

/** One page of an SDK's cursor list (openai's and Anthropic's both have this shape). */
export interface CursorPage<T> {
  data: T[];
  hasNextPage(): boolean;
  getNextPage(): Promise<CursorPage<T>>;
}

/** Reads a cursor list from its first page to its last (or to `max` items), counting the pages. */
export async function walk<T extends { id: string }>(first: CursorPage<T>, max: number) {
  let page = first;
  const seen = new Set<string>();
  const items: T[] = [];
  let pages = 1;
  for (;;) {
    let fresh = 0;
    for (const b of page.data) {
      if (seen.has(b.id)) continue;
      seen.add(b.id);
      fresh++;
      if (items.length === max) return { items, pages, truncated: true };
      items.push(b);
    }
    // A provider that ignores the cursor would answer the same page forever.
    if (fresh === 0 || !page.hasNextPage()) break;
    page = await page.getNextPage();
    pages++;
  }
  return { items, pages, truncated: false };
}
