// Token counting on a thread of its own (node:worker_threads, count-worker.mjs): the BPE table's
// load (1-4 s) and the counting run on the machine's other core, beside the upload's check and
// PGlite, which share the server's thread. One worker per process, started on first use and kept
// (its tables and memo stay warm); it holds the process open only while it has work. The caller
// sends the texts it found in a request (request.ts, with a counter that only collects them) and
// gets each request's count back. Should the worker not start or die, the count is made here on
// the server's thread instead (tokenizer.ts, the same code): slower, never wrong or missing.
import "server-only";
import { Worker } from "node:worker_threads";
import { log } from "@/lib/log";
import { tokenCounter, type Encoding } from "./tokenizer";

interface Job {
  resolve: (counts: number[]) => void;
  reject: (err: Error) => void;
  /** What the job was, to count it here if the worker goes. */
  encoding: Encoding;
  texts: string[];
  ends: number[];
}

interface State {
  worker: Worker | null;
  next: number;
  jobs: Map<number, Job>;
  /** Workers that failed; past MAX_FAILURES the count stays on this thread. */
  failures: number;
}

const MAX_FAILURES = 3;
const KEY = Symbol.for("batchboard.tokens.worker");
const g = globalThis as unknown as Record<symbol, State | undefined>;
const state = (g[KEY] ??= { worker: null, next: 1, jobs: new Map(), failures: 0 });

/** Counts on this thread: the worker's loop, for when there is no worker. */
export async function countHere(encoding: Encoding, texts: string[], ends: number[]): Promise<number[]> {
  const c = await tokenCounter(encoding);
  const counts = new Array<number>(ends.length);
  let t = 0;
  for (let i = 0; i < ends.length; i++) {
    let n = 0;
    for (; t < ends[i]; t++) n += c.count(texts[t]);
    counts[i] = n;
  }
  return counts;
}

function lost(worker: Worker, err: Error) {
  if (state.worker !== worker) return;
  state.worker = null;
  state.failures++;
  log.warn("tokens.worker_failed", { err, failures: state.failures });
  // Its jobs are counted here rather than lost.
  const jobs = [...state.jobs.values()];
  state.jobs.clear();
  for (const j of jobs) {
    if (j.ends.length === 0) j.resolve([]);
    else countHere(j.encoding, j.texts, j.ends).then(j.resolve, j.reject);
  }
}

function worker(): Worker | null {
  if (state.worker) return state.worker;
  if (state.failures >= MAX_FAILURES) return null;
  let w: Worker;
  try {
    w = new Worker(new URL("./count-worker.mjs", import.meta.url));
  } catch (err) {
    state.failures++;
    log.warn("tokens.worker_not_started", { err, failures: state.failures });
    return null;
  }
  w.unref();
  w.on("message", (m: { id: number; counts?: number[]; error?: string }) => {
    const job = state.jobs.get(m.id);
    if (!job) return;
    state.jobs.delete(m.id);
    if (state.jobs.size === 0) w.unref();
    if (m.counts) job.resolve(m.counts);
    else job.reject(new Error(m.error ?? "the token worker gave no count"));
  });
  w.on("error", (err) => lost(w, err));
  w.on("exit", (code) => lost(w, new Error(`the token worker exited (${code})`)));
  state.worker = w;
  return w;
}

/** Whether counts are made on the worker (false once it has failed too often). */
export function offThread(): boolean {
  return worker() !== null;
}

/**
 * Each request's tokens (framing not included): request i's texts are texts[ends[i-1] .. ends[i]).
 * On the worker; here when there is none.
 */
export function countTexts(encoding: Encoding, texts: string[], ends: number[]): Promise<number[]> {
  const w = worker();
  if (!w) return countHere(encoding, texts, ends);
  return new Promise<number[]>((resolve, reject) => {
    const id = state.next++;
    state.jobs.set(id, { resolve, reject, encoding, texts, ends });
    // Held open while it has work: a script awaiting a count does not exit under it.
    w.ref();
    w.postMessage({ id, encoding, texts, ends });
  });
}

/**
 * Builds an encoding's table on the worker now (a server starting, an upload starting), so the count
 * finds it ready. Resolves once it is built (at once where there is no worker); never rejects.
 */
export function preloadTokenizer(encoding: Encoding = "o200k_base"): Promise<void> {
  const w = worker();
  if (!w) return Promise.resolve();
  return new Promise<void>((resolve) => {
    const id = state.next++;
    state.jobs.set(id, { resolve: () => resolve(), reject: () => resolve(), encoding, texts: [], ends: [] });
    w.postMessage({ id, encoding, preload: true });
  });
}
