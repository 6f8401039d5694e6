// @ts-check
// The token worker (node:worker_threads): counts texts with the BPE tables on a thread of its own,
// so that neither a table's load (1-4 s) nor the counting holds the server's thread, where PGlite
// and every request run. lib/tokens/off-thread.ts starts it and is its only caller.
// In:  { id, encoding, texts: string[], ends: number[] }: texts of several requests, request i's
//      texts ending before ends[i]; or { id, encoding, preload: true } to build the table early.
// Out: { id, counts: number[] } (request i's tokens, the framing not included), or { id, error }.
import { parentPort } from "node:worker_threads";
import { cachedCounter } from "./bpe.mjs";

/** @type {Map<"o200k_base" | "cl100k_base", ReturnType<typeof import("./bpe.mjs").loadCounter>>} */
const counters = new Map();

// Messages are handled one after another, in order: a batch waiting for its table keeps its turn.
let queue = Promise.resolve();
parentPort?.on("message", (/** @type {{ id: number, encoding: "o200k_base" | "cl100k_base", texts?: string[], ends?: number[], preload?: boolean }} */ m) => {
  queue = queue.then(async () => {
    try {
      const { count } = await cachedCounter(counters, m.encoding);
      if (m.preload) return parentPort?.postMessage({ id: m.id, counts: [] });
      const texts = m.texts ?? [];
      const ends = m.ends ?? [];
      const counts = new Array(ends.length);
      let t = 0;
      for (let i = 0; i < ends.length; i++) {
        let n = 0;
        for (; t < ends[i]; t++) n += count(texts[t]);
        counts[i] = n;
      }
      parentPort?.postMessage({ id: m.id, counts });
    } catch (err) {
      parentPort?.postMessage({ id: m.id, error: err instanceof Error ? err.message : String(err) });
    }
  });
});
