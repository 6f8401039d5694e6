// The adapter of Anthropic's Message Batches (the anthropic and anthropic-compatible kinds): the
// requests go inline in the create call, as one JSON body {"requests": [{custom_id, params}]}
// converted from the uploaded chat-completions bodies (convert.ts); no metadata, so no batch is
// ever found again by our id (capabilities.recoverByMetadata is false, and the engine never sends a
// create twice); processing_status and counts read in batch.ts; results at one URL (results_url),
// in any order, parsed in results.ts. The official @anthropic-ai/sdk is made here and nowhere in
// the engine, with its fetch through providerFetch; it sends x-api-key and anthropic-version 2023-06-01.
import "server-only";
import fs from "node:fs";
import Anthropic from "@anthropic-ai/sdk";
import type { MessageBatch } from "@anthropic-ai/sdk/resources/messages/batches";
import { log } from "@/lib/log";
import { UserError } from "@/lib/errors";
import type { AdapterFactory, CallOptions, ConnectionTarget, InputFrame, ProbeResult, ProviderAdapter } from "@/lib/providers/adapter";
import { hostOf, judgeFailure, probeFailure } from "@/lib/providers/failure";
import { linesOf, providerFetch, resolveBaseUrl, walk } from "@/lib/providers/http";
import { remoteOf } from "./batch";
import { customIdProblem, toAnthropicParams } from "./convert";
import { parseAnthropicResultLine } from "./results";

/** The create call's JSON body: {"requests":[<request>,<request>,...]}. */
const frame: InputFrame = { suffix: ".anthropic.json", open: '{"requests":[', separator: ",", close: "]}" };

/** The API version Anthropic's Message Batches documents show. */
export const ANTHROPIC_VERSION = "2023-06-01";

/** Creates and result downloads may be large: up to 256 MB. */
const LONG_CALL_MS = 10 * 60_000;

function makeClient(t: ConnectionTarget, opts: CallOptions = {}) {
  return new Anthropic({
    apiKey: t.apiKey,
    // The SDK's paths carry /v1 themselves (/v1/messages/batches).
    baseURL: resolveBaseUrl(t.kind, t.baseUrl, { sdkAddsV1: true }).replace(/\/+$/, ""),
    maxRetries: opts.maxRetries ?? 2,
    timeout: opts.timeoutMs ?? 120_000,
    fetch: providerFetch(t.kind, t.baseUrl, t.apiKey),
    // What Anthropic's documents show: `x-api-key` and `anthropic-version: 2023-06-01`. The SDK (1.12)
    // would send the key as `Authorization: Bearer` and its own, newer version date: both replaced.
    defaultHeaders: { "x-api-key": t.apiKey, "anthropic-version": ANTHROPIC_VERSION, Authorization: null },
  });
}

/** Lines after the first `from` (results_url cannot resume: a read from an offset skips them). */
async function* after(lines: AsyncIterable<string>, from: number) {
  let i = 0;
  for await (const l of lines) if (i++ >= from) yield l;
}

export const anthropicAdapter: AdapterFactory = {
  connect(target, opts): ProviderAdapter {
    const p = target.profile;
    const client = makeClient(target, opts);
    const keptDays = p.capabilities.resultRetentionDays;
    return {
      frame,
      encodeRequest(r) {
        const problems: string[] = [];
        const idProblem = customIdProblem(r.customId);
        if (idProblem) problems.push(idProblem);
        const converted = toAnthropicParams(r.body);
        if (converted.problems) problems.push(converted.problems.join("; "));
        const text = converted.params ? JSON.stringify({ custom_id: r.customId, params: converted.params }) : undefined;
        return { text, problems, customIdRefused: idProblem !== null };
      },
      stageInput() {
        throw new Error("Message Batches take their requests inline: there is no input file to upload.");
      },
      async discardInput() {},
      async submit(s) {
        // Streamed from the built body; never retried inside: a second create could double the batch and its bill.
        const created = await client.post<MessageBatch>("/v1/messages/batches", {
          body: fs.createReadStream(s.bodyFile),
          headers: { "content-type": "application/json" },
          maxRetries: 0,
          timeout: LONG_CALL_MS,
        });
        return remoteOf(created, keptDays);
      },
      // No metadata: a batch cannot be told ours, and guessing by time and size could adopt someone else's.
      findByOurId: async () => undefined,
      retrieve: async (id) => remoteOf(await client.messages.batches.retrieve(id), keptDays),
      cancel: async (id) => remoteOf(await client.messages.batches.cancel(id), keptDays),
      resultSources(b) {
        const url = b.outputFileId ?? (b.providerBatchId ? `${client.baseURL.replace(/\/+$/, "")}/v1/messages/batches/${encodeURIComponent(b.providerBatchId)}/results` : null);
        return url ? [{ slot: "output", id: url }] : [];
      },
      async readResults(source, from) {
        // The SDK sends the key with it: only to the connection's own host.
        const base = new URL(client.baseURL);
        if (new URL(source.id).origin !== base.origin) {
          throw new Error(`results_url is on ${new URL(source.id).host}, not on the connection's host ${base.host}: not sending the key there`);
        }
        const res = await client.get(source.id, { headers: { Accept: "application/binary" }, timeout: LONG_CALL_MS }).asResponse();
        return { lines: from > 0 ? after(linesOf(res), from) : linesOf(res) };
      },
      parseResultLine: parseAnthropicResultLine,
      async list(_query, o) {
        // Every Message Batch, newest first: `limit` (1 to 1000), then `after_id` = the page's last_id while `has_more`.
        const most = p.capabilities.listBatches?.maxLimit ?? 1000;
        const limit = Math.max(1, Math.min(o.pageSize ?? most, most));
        const all = await walk<MessageBatch>(await client.messages.batches.list({ limit }), o.max);
        return { ...all, items: all.items.map((b) => remoteOf(b, keptDays)) };
      },
      inputOf: async () => ({ missing: "Anthropic keeps no input file for a Message Batch" }),
      // Requests go inline: a Message Batch leaves no files behind (capabilities.files is false).
      listFiles: async () => ({ files: [], truncated: false }),
      deleteFile: async () => {},
      // 529 (overloaded) says the batch was not taken; its Retry-After is honoured like a 429's.
      classify: (err) => judgeFailure(err, { notTaken: [529], retryAfterOn: [429, 529] }),
    };
  },

  async probe(target, timeoutMs): Promise<ProbeResult> {
    let client: Anthropic;
    try {
      client = makeClient(target, { maxRetries: 0, timeoutMs });
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
      log.info("connection.test_failed", { kind: target.kind, host, outcome: result.outcome, err });
      return result;
    }
  },
};
