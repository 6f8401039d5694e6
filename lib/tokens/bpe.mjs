// @ts-check
// The counting itself, in plain JavaScript so that the token worker (count-worker.mjs, a
// node:worker_threads entry that Node runs without compiling) and the server's own thread
// (tokenizer.ts) share one implementation. Why it counts this way: tokenizer.ts.
import { Tiktoken } from "js-tiktoken/lite";

// Past this many distinct pieces the memo starts again: bounded memory on any input.
export const MEMO_MAX = 500_000;
/** A piece longer than this (a hash, a URL, a run of one letter) is counted in slices of this size. */
export const LONG_PIECE = 128;

/** @typedef {"o200k_base" | "cl100k_base"} Encoding */

/** @param {Encoding} encoding */
async function loadRanks(encoding) {
  // Imported on demand: each table is megabytes of JavaScript, and most processes need one or none.
  const mod = encoding === "o200k_base" ? await import("js-tiktoken/ranks/o200k_base") : await import("js-tiktoken/ranks/cl100k_base");
  return mod.default;
}

/**
 * Builds one encoding's table and its memoised counter.
 * @param {Encoding} encoding
 * @returns {Promise<{ tiktoken: Tiktoken, count: (text: string) => number }>}
 */
export async function loadCounter(encoding) {
  const ranks = await loadRanks(encoding);
  const tiktoken = new Tiktoken(ranks);
  const pattern = new RegExp(ranks.pat_str, "gu");
  /** @type {Map<string, number>} */
  const memo = new Map();
  /** @param {string} piece */
  const one = (piece) => {
    let k = memo.get(piece);
    if (k === undefined) {
      // [] and []: no special token is allowed or refused, so they are encoded as plain text.
      k = tiktoken.encode(piece, [], []).length;
      if (memo.size >= MEMO_MAX) memo.clear();
      memo.set(piece, k);
    }
    return k;
  };
  return {
    tiktoken,
    count(text) {
      if (!text) return 0;
      let n = 0;
      for (const m of text.matchAll(pattern)) {
        const piece = m[0];
        if (piece.length <= LONG_PIECE) n += one(piece);
        else for (let i = 0; i < piece.length; i += LONG_PIECE) n += one(piece.slice(i, i + LONG_PIECE));
      }
      return n;
    },
  };
}

/**
 * An encoding's counter from `cache`, loaded on first use; a failed load is not remembered, so the
 * next call tries again.
 * @param {Map<Encoding, ReturnType<typeof loadCounter>>} cache
 * @param {Encoding} encoding
 */
export function cachedCounter(cache, encoding) {
  let c = cache.get(encoding);
  if (!c) {
    c = loadCounter(encoding);
    c.catch(() => cache.delete(encoding));
    cache.set(encoding, c);
  }
  return c;
}
