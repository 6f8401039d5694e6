// The adapter of every OpenAI-compatible provider (the OpenAI Batch API: files + batches): OpenAI,
// Doubleword, Moonshot, Bailian, Groq, Together, the built-in Sandbox and any custom URL. Where they
// differ, their profiles say so and this reads the flags: the upload's purpose, a list that is a
// plain array (Together), which list parameters they take (Groq: none), a result file read from an
// offset while the batch runs (Doubleword: `offset`/`skip`, X-Last-Line), a percentage instead of
// counts (Together, in batch.ts). The openai SDK is made here (client.ts) and nowhere in the engine.
import "server-only";
import fs from "node:fs";
import OpenAI from "openai";
import type { Batch as OpenAIBatch, BatchCreateParams, BatchListParams } from "openai/resources/batches";
import type { FilePurpose } from "openai/resources/files";
import { log } from "@/lib/log";
import { UserError } from "@/lib/errors";
import { BATCH_ID_METADATA_KEY, type AdapterFactory, type InputFrame, type ProbeResult, type ProviderAdapter, type RemoteList, type ResultSource } from "@/lib/providers/adapter";
import { hostOf, judgeFailure, probeFailure } from "@/lib/providers/failure";
import { linesOf, walk } from "@/lib/providers/http";
import type { ProviderProfile } from "@/lib/providers/profile";
import { remoteOf, requestLine } from "./batch";
import { makeClient } from "./client";
import { parseResultLine } from "./results";

/** JSONL: one request a line, each ending in a newline. */
const frame: InputFrame = { suffix: ".jsonl", open: "", separator: "\n", close: "\n" };

/** The query that asks for a result file from line `n` on: Doubleword's docs say `offset`, its code `skip`. */
export const offsetQuery = (n: number) => ({ offset: n, skip: n });

/** A list that answers one plain array (Together): the SDK's cursor page would read its `data` as empty. */
async function plainList(client: OpenAI, query: Record<string, string> = {}): Promise<OpenAIBatch[]> {
  const body: unknown = await client.get("/batches", { query });
  return (Array.isArray(body) ? body : ((body as { data?: unknown[] })?.data ?? [])) as OpenAIBatch[];
}

/** Every batch a provider lists (as a plain array, or page by page with `after` while `has_more`). */
async function listAll(client: OpenAI, p: ProviderProfile, query: Record<string, string>, opts: { pageSize?: number; max: number }): Promise<RemoteList> {
  const list = p.capabilities.listBatches;
  if (!list) throw new UserError(`${p.label} does not list its batches.`);
  if (list.shape === "array") {
    const items = await plainList(client, query);
    return { items: items.slice(0, opts.max).map((b) => remoteOf(b, p)), pages: 1, truncated: items.length > opts.max };
  }
  const takesLimit = list.filters.includes("limit");
  const limit = Math.min(opts.pageSize ?? list.maxLimit ?? 100, list.maxLimit ?? 100);
  // Extra filters ride along in the query: the SDK keeps them on every next page it asks for.
  const all = await walk(await client.batches.list({ ...query, ...(takesLimit ? { limit } : {}) } as BatchListParams), opts.max);
  return { ...all, items: all.items.map((b) => remoteOf(b, p)) };
}

export const openaiBatchAdapter: AdapterFactory = {
  connect(target, opts): ProviderAdapter {
    const p = target.profile;
    const client = makeClient(target.kind, target.baseUrl, target.apiKey, opts);
    // Only where the provider takes it (OpenAI), within its bounds.
    const range = p.capabilities.fileExpiry;
    const expiry = range && target.fileExpirySeconds ? Math.min(range.maxSeconds, Math.max(range.minSeconds, target.fileExpirySeconds)) : undefined;
    return {
      frame,
      encodeRequest: (r) => ({ text: requestLine(r.customId, r.endpoint, r.body), problems: [] }),
      async stageInput(path) {
        const file = await client.files.create({
          file: fs.createReadStream(path),
          purpose: (p.uploadPurpose ?? "batch") as FilePurpose,
          ...(expiry ? { expires_after: { anchor: "created_at", seconds: expiry } } : {}),
        });
        return file.id;
      },
      async discardInput(fileId) {
        await client.files.delete(fileId);
      },
      async submit(s) {
        if (p.capabilities.createWithoutEndpoint) {
          // Moonshot's documented body: {input_file_id, completion_window} (and our metadata).
          const created = await client.post<OpenAIBatch>("/batches", {
            body: { input_file_id: s.inputFileId ?? "", completion_window: s.completionWindow, ...(Object.keys(s.metadata).length ? { metadata: s.metadata } : {}) },
          });
          return remoteOf(created, p);
        }
        const created = await client.batches.create({
          input_file_id: s.inputFileId ?? "",
          endpoint: s.endpoint as BatchCreateParams["endpoint"],
          completion_window: s.completionWindow as BatchCreateParams["completion_window"],
          metadata: s.metadata,
          ...(expiry ? { output_expires_after: { anchor: "created_at", seconds: expiry } } : {}),
        });
        return remoteOf(created, p);
      },
      async findByOurId(batchId, scan = 200) {
        const list = p.capabilities.listBatches;
        const mine = (b: OpenAIBatch) => b.metadata?.[BATCH_ID_METADATA_KEY] === batchId;
        if (list?.shape === "array") {
          const found = (await plainList(client)).slice(0, scan).find(mine);
          return found && remoteOf(found, p);
        }
        let seen = 0;
        // Providers whose list takes no parameters (Groq) are asked without any.
        const query = list && !list.filters.includes("limit") ? {} : { limit: Math.min(100, list?.maxLimit ?? 100) };
        for await (const b of client.batches.list(query)) {
          if (mine(b)) return remoteOf(b, p);
          if (++seen >= scan) break;
        }
        return undefined;
      },
      retrieve: async (id) => remoteOf(await client.batches.retrieve(id), p),
      cancel: async (id) => remoteOf(await client.batches.cancel(id), p),
      async models() {
        const ids: string[] = [];
        for await (const m of client.models.list()) ids.push(m.id);
        return ids;
      },
      resultSources(b) {
        const out: ResultSource[] = [];
        if (b.outputFileId) out.push({ slot: "output", id: b.outputFileId });
        if (b.errorFileId) out.push({ slot: "error", id: b.errorFileId });
        return out;
      },
      async readResults(source, from) {
        const res = from > 0 ? await client.files.content(source.id, { query: offsetQuery(from) }) : await client.files.content(source.id);
        const last = Number(res.headers.get("x-last-line") ?? NaN);
        return { lines: linesOf(res), lastLine: Number.isInteger(last) ? last : undefined };
      },
      parseResultLine,
      list: (query, o) => listAll(client, p, query, o),
      async inputOf(remote) {
        const fileId = remote.fields.providerInputFileId;
        if (!fileId) return { missing: "the provider names no input file" };
        let name = `${fileId}.jsonl`;
        try {
          const meta = await client.files.retrieve(fileId);
          if (meta.filename) name = meta.filename.slice(0, 255);
        } catch {
          // Some providers answer the content but not the file object: keep the id as the name.
        }
        const res = await client.files.content(fileId);
        if (!res.body) throw new Error("empty answer");
        return { name, content: res.body };
      },
      async listFiles(max = 10_000) {
        if (!p.capabilities.files) throw new UserError(`${p.label} keeps no files to list.`);
        const all = await walk(await client.files.list(), max);
        return {
          truncated: all.truncated,
          files: all.items
            .map((f) => ({
              id: f.id,
              name: typeof f.filename === "string" ? f.filename : null,
              bytes: typeof f.bytes === "number" ? f.bytes : null,
              purpose: typeof f.purpose === "string" ? f.purpose : null,
              createdAt: typeof f.created_at === "number" ? new Date(f.created_at * 1000) : null,
              expiresAt: typeof f.expires_at === "number" ? new Date(f.expires_at * 1000) : null,
            }))
            .sort((a, b) => (b.createdAt?.getTime() ?? 0) - (a.createdAt?.getTime() ?? 0)),
        };
      },
      async deleteFile(fileId) {
        try {
          await client.files.delete(fileId);
        } catch (err) {
          // Already gone (deleted by hand, or expired): what was asked is true.
          if (err instanceof OpenAI.NotFoundError) return;
          throw err;
        }
      },
      classify: (err) => judgeFailure(err, { retryAfterOn: [429] }),
    };
  },

  async probe(target, timeoutMs): Promise<ProbeResult> {
    let client: OpenAI;
    try {
      client = makeClient(target.kind, target.baseUrl, target.apiKey, { maxRetries: 0, timeoutMs });
    } catch (err) {
      if (err instanceof UserError) return { ok: false, outcome: "unreachable", message: err.message };
      throw err;
    }
    try {
      try {
        const page = await client.models.list();
        const n = page.data.length;
        return { ok: true, outcome: "ok", message: `Connected. The key works (${n} ${n === 1 ? "model" : "models"} listed).` };
      } catch (err) {
        // Some batch-only providers have no /models: the batches list proves the key as well.
        if (!(err instanceof OpenAI.NotFoundError)) throw err;
        await client.batches.list({ limit: 1 });
        return { ok: true, outcome: "ok", message: "Connected. The key works (batches listed)." };
      }
    } catch (err) {
      const host = hostOf(client.baseURL);
      const result = probeFailure(err, host, "Check the base URL (it usually ends in /v1).");
      log.info("connection.test_failed", { kind: target.kind, host, outcome: result.outcome, err });
      return result;
    }
  },
};
