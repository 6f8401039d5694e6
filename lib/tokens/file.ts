// The tokens of a stored file, per model: input tokens (with the chat framing), and the output the
// requests allow (their max_tokens), for the cost estimate before launch. The Request rows are read
// 1,000 at a time by a (line, id) keyset through the raw driver (lib/db/sql.ts): a 50,000-request
// file never sits in memory. A valid file never changes, so its counts are kept in a small JSON
// file under the data folder (DATA_DIR/token-counts/<file id>.<version>.json) and read from there
// the next time; the schema has no column for them. Deleting a file leaves its few hundred bytes
// behind, harmlessly: ids are never reused. The texts are counted on the token worker
// (off-thread.ts): the BPE tables are built and the pieces counted on the other core.
import "server-only";
import fs from "node:fs";
import path from "node:path";
import type { Db } from "@/lib/db/client";
import { sql } from "@/lib/db/sql";
import { env } from "@/lib/env";
import { NotFoundError } from "@/lib/errors";
import { tokenizerFor } from "./models";
import { requestTokens } from "./request";
import { countTexts, preloadTokenizer } from "./off-thread";
import type { Encoding, TokenCounter } from "./tokenizer";
import { log } from "@/lib/log";

/** Bumped when counting changes, so that counts cached by an older version are not trusted. */
export const COUNT_VERSION = "v1";
const PAGE = 1000;

export interface ModelTokens {
  /** The model the requests name (null: none named). */
  model: string | null;
  encoding: Encoding;
  exact: boolean;
  method: string;
  requests: number;
  inputTokens: number;
  /** The sum of max_tokens over the requests that set one. */
  maxOutputTokens: number;
  /** Requests without a max_tokens (their output is unknown). */
  withoutMax: number;
  /** Image and audio parts, not counted. */
  media: number;
}

export interface FileTokens {
  fileId: string;
  endpoint: string;
  requests: number;
  models: ModelTokens[];
  /** Seconds the count took when it was made. */
  seconds: number;
  version: string;
  countedAt: string;
}

export interface CountOptions {
  /** Where cached counts live; null: no cache. Default DATA_DIR/token-counts. */
  cacheDir?: string | null;
}

function cachePath(dir: string, fileId: string) {
  // cuids are safe file names; anything else is refused rather than escaped.
  if (!/^[a-z0-9_-]+$/i.test(fileId)) return null;
  return path.join(dir, `${fileId}.${COUNT_VERSION}.json`);
}

function readCache(file: string | null): FileTokens | null {
  if (!file) return null;
  try {
    const v = JSON.parse(fs.readFileSync(file, "utf8")) as FileTokens;
    return v.version === COUNT_VERSION && Array.isArray(v.models) ? v : null;
  } catch {
    return null;
  }
}

function writeCache(file: string | null, v: FileTokens) {
  if (!file) return;
  try {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    // Written aside then renamed: a reader never sees half a file.
    const tmp = `${file}.${process.pid}.tmp`;
    fs.writeFileSync(tmp, JSON.stringify(v));
    fs.renameSync(tmp, file);
  } catch (err) {
    // A cache that cannot be written only costs a recount next time.
    log.warn("tokens.cache_not_written", { err });
  }
}

// Two people opening the same launch form count the file once.
const inFlight = new Map<string, Promise<FileTokens>>();

/** Counts a file of the team (another team's file is "not found"). */
export async function fileTokens(prisma: Db, teamId: string, fileId: string, opts: CountOptions = {}): Promise<FileTokens> {
  const file = await prisma.inputFile.findFirst({ where: { id: fileId, teamId }, select: { id: true, status: true, endpoint: true } });
  if (!file) throw new NotFoundError("That file");
  const dir = opts.cacheDir === undefined ? path.join(env().DATA_DIR, "token-counts") : opts.cacheDir;
  // Only a valid file is final: one still being stored may gain requests.
  const cacheFile = dir && file.status === "valid" ? cachePath(dir, file.id) : null;
  const cached = readCache(cacheFile);
  if (cached) return cached;
  // The upload's own count, still finishing: waited for rather than made twice.
  const counting = kept.get(file.id);
  if (counting) {
    const v = await counting.catch(() => null);
    if (v) return v;
  }
  const key = `${file.id}:${cacheFile ?? "-"}`;
  let p = inFlight.get(key);
  if (!p) {
    p = countFileTokens(prisma, file.id, file.endpoint).then((v) => {
      writeCache(cacheFile, v);
      return v;
    });
    inFlight.set(key, p);
    p.finally(() => inFlight.delete(key)).catch(() => {});
  }
  return p;
}

/**
 * Starts counting a file just stored, without waiting: the launch form's estimate, opened next,
 * then reads the count from the cache (or joins this count while it runs) instead of starting one.
 * A failure is only logged: the estimate counts again when asked.
 */
export function countSoon(prisma: Db, teamId: string, fileId: string, opts: CountOptions = {}): void {
  fileTokens(prisma, teamId, fileId, opts).catch((err: unknown) => log.warn("tokens.count_after_upload_failed", { fileId, err }));
}

/** Line ranges (contiguous parts of a job, in line order) whose input tokens are wanted per model. */
export type LineRanges = { fromLine: number; toLine: number }[];

/** Input tokens per model of each range (parts of a job, for the enqueued-token limit: lib/batches/queue.ts). */
export async function rangeTokens(prisma: Db, fileId: string, endpoint: string, ranges: LineRanges): Promise<Record<string, number>[]> {
  return (await countFileTokens(prisma, fileId, endpoint, ranges)).perRange ?? [];
}

/** Requests sent to the token worker at a time (or fewer, past BATCH_CHARS of their text). */
const BATCH_REQUESTS = 1000;
const BATCH_CHARS = 1 << 20;
/**
 * Text sent and not yet counted past which add() asks its caller to wait: bounded memory when the
 * worker falls behind (on a loaded machine it does; 16 MB made a 50,000-line upload wait on it).
 */
const WINDOW_CHARS = 64 << 20;

interface Counting {
  m: ModelTokens;
  /** The request's framing tokens (request.ts), added to its texts' count. */
  framing: number;
  onInput?: (input: number) => void;
}
interface Batch {
  texts: string[];
  ends: number[];
  requests: Counting[];
  chars: number;
}

/**
 * The running count of a file's requests, per model: what countFileTokens sums over the stored rows,
 * and an upload over the requests it checks (lib/files/store.ts), so that the estimate finds the count
 * made when the upload ends. Each request is walked here (its framing, max_tokens, media) and its
 * texts are counted on the token worker (off-thread.ts), a thousand requests a message: the count
 * runs on the other core while this thread checks and stores.
 */
export class TokenTally {
  private readonly byModel = new Map<string, ModelTokens>();
  private readonly batches = new Map<Encoding, Batch>();
  private readonly preloaded = new Set<Encoding>();
  private readonly sent = new Set<Promise<void>>();
  private inFlightChars = 0;
  private waiting: (() => void)[] = [];
  private failed: unknown = null;
  private readonly t0 = performance.now();
  requests = 0;
  constructor(readonly endpoint: string) {}

  /**
   * Counts one request (`named`: its model column); `onInput` gets its input tokens once counted.
   * A promise when the worker is behind by more than WINDOW_CHARS of text: the caller waits for it.
   */
  add(named: string | null, body: unknown, onInput?: (input: number) => void): void | Promise<void> {
    if (this.failed) throw this.failed;
    const fromBody = (body as { model?: unknown } | null)?.model;
    const given = named ?? (typeof fromBody === "string" ? fromBody : null);
    const model = typeof given === "string" ? given : null;
    let m = this.byModel.get(model ?? "");
    if (!m) {
      const choice = tokenizerFor(model);
      m = { model, ...choice, requests: 0, inputTokens: 0, maxOutputTokens: 0, withoutMax: 0, media: 0 };
      this.byModel.set(model ?? "", m);
    }
    let b = this.batches.get(m.encoding);
    if (!b) {
      // The first request of an encoding: its table is built on the worker while the batch fills.
      if (!this.preloaded.has(m.encoding)) {
        this.preloaded.add(m.encoding);
        void preloadTokenizer(m.encoding);
      }
      b = { texts: [], ends: [], requests: [], chars: 0 };
      this.batches.set(m.encoding, b);
    }
    const batch = b;
    // A counter that only collects the texts: request.ts adds the framing, the worker counts the texts.
    const collect: TokenCounter = {
      encoding: m.encoding,
      count(text: string) {
        if (text) {
          batch.texts.push(text);
          batch.chars += text.length;
        }
        return 0;
      },
    };
    const t = requestTokens(this.endpoint, body, collect);
    batch.ends.push(batch.texts.length);
    batch.requests.push({ m, framing: t.input, onInput });
    m.requests++;
    m.media += t.media;
    if (t.maxOutput === null) m.withoutMax++;
    else m.maxOutputTokens += t.maxOutput;
    this.requests++;
    if (batch.requests.length >= BATCH_REQUESTS || batch.chars >= BATCH_CHARS) this.send(m.encoding, batch);
    if (this.inFlightChars > WINDOW_CHARS) return new Promise((resolve) => this.waiting.push(resolve));
  }

  private send(encoding: Encoding, b: Batch) {
    this.batches.delete(encoding);
    this.inFlightChars += b.chars;
    const p: Promise<void> = countTexts(encoding, b.texts, b.ends)
      .then(
        (counts) => {
          for (let i = 0; i < b.requests.length; i++) {
            const r = b.requests[i];
            const input = r.framing + counts[i];
            r.m.inputTokens += input;
            r.onInput?.(input);
          }
        },
        (err: unknown) => {
          this.failed ??= err;
        },
      )
      .finally(() => {
        this.inFlightChars -= b.chars;
        this.sent.delete(p);
        if (this.inFlightChars <= WINDOW_CHARS || this.failed) {
          const waiting = this.waiting;
          this.waiting = [];
          for (const resolve of waiting) resolve();
        }
      });
    this.sent.add(p);
  }

  /** Sends what is left, waits for every count, and answers the file's tokens. */
  async done(fileId: string): Promise<FileTokens> {
    for (const [encoding, b] of [...this.batches]) this.send(encoding, b);
    while (this.sent.size) await Promise.all(this.sent);
    if (this.failed) throw this.failed;
    return {
      fileId,
      endpoint: this.endpoint,
      requests: this.requests,
      models: [...this.byModel.values()].sort((a, b) => b.requests - a.requests),
      seconds: (performance.now() - this.t0) / 1000,
      version: COUNT_VERSION,
      countedAt: new Date().toISOString(),
    };
  }
}

// Counts still running for a file just stored (the upload's own), which fileTokens joins.
const kept = new Map<string, Promise<FileTokens>>();

/**
 * Keeps the count of a valid file where fileTokens reads it (the upload's own count), once it is
 * done; until then an estimate asking for the file waits for this count instead of starting one.
 */
export function keepFileTokens(fileId: string, counting: Promise<FileTokens>, opts: CountOptions = {}) {
  const dir = opts.cacheDir === undefined ? path.join(env().DATA_DIR, "token-counts") : opts.cacheDir;
  const p = counting.then((v) => {
    if (dir) writeCache(cachePath(dir, v.fileId), v);
    return v;
  });
  kept.set(fileId, p);
  p.catch((err: unknown) => log.warn("tokens.count_in_upload_failed", { fileId, err })).finally(() => {
    if (kept.get(fileId) === p) kept.delete(fileId);
  });
}

/** Reads every request of the file, page by page, and counts it (and each range's share). No cache. */
export async function countFileTokens(prisma: Db, fileId: string, endpoint: string, ranges?: LineRanges): Promise<FileTokens & { perRange?: Record<string, number>[] }> {
  const db = sql(prisma);
  const tally = new TokenTally(endpoint);
  const perRange = ranges?.map(() => ({}) as Record<string, number>);
  let at = 0;
  let after: { line: number; id: number | bigint } | null = null;
  for (;;) {
    const page: { id: number | bigint; line: number; model: string | null; body: unknown }[] = await db.query(
      after
        ? `SELECT "id", "line", "model", "body" FROM "Request" WHERE "fileId" = $1 AND ("line", "id") > ($2, $3) ORDER BY "line", "id" LIMIT ${PAGE}`
        : `SELECT "id", "line", "model", "body" FROM "Request" WHERE "fileId" = $1 ORDER BY "line", "id" LIMIT ${PAGE}`,
      after ? [fileId, after.line, after.id] : [fileId],
    );
    for (const r of page) {
      const body = typeof r.body === "string" ? (JSON.parse(r.body) as unknown) : r.body;
      let onInput: ((input: number) => void) | undefined;
      if (ranges && perRange) {
        const model = r.model ?? (typeof (body as { model?: unknown } | null)?.model === "string" ? ((body as { model: string }).model) : "");
        while (at < ranges.length && r.line > ranges[at].toLine) at++;
        if (at < ranges.length && r.line >= ranges[at].fromLine) {
          const share = perRange[at];
          onInput = (input) => (share[model] = (share[model] ?? 0) + input);
        }
      }
      // Counted on the worker while the next page is read; waits only when it is far behind.
      await tally.add(r.model, body, onInput);
    }
    if (page.length < PAGE) break;
    const last = page[page.length - 1];
    after = { line: last.line, id: last.id };
  }
  return { ...(await tally.done(fileId)), ...(perRange ? { perRange } : {}) };
}
