// Token counts with OpenAI's own BPE tables (js-tiktoken and the ranks it bundles: nothing is
// downloaded at run time). Measured here, js-tiktoken's `encode` does about 1,700 prompts of 500
// characters a second, and building a table takes 1-2 s, so:
//   - a table is built once per process, on first use, and kept on globalThis;
//   - text is split with the table's own pre-tokenizer regex and each piece's count is memoised.
//     BPE never merges across those pieces, so the sum of the pieces' counts is the text's count
//     (tokenizer.test.ts checks it against `encode` on real text); natural text repeats its words,
//     so most pieces are found in the memo.
// Special-token strings such as "<|endoftext|>" are counted as ordinary text, as the APIs do with
// message content. js-tiktoken's merge is quadratic in a piece's length (a 5,000-letter run takes
// seconds), so a piece over LONG_PIECE characters (a hash, a URL, a run of one letter: no natural
// word) is counted in slices of that size: at most a token or so more per slice, and bounded time.
import "server-only";
import { Tiktoken, type TiktokenBPE } from "js-tiktoken/lite";

export type Encoding = "o200k_base" | "cl100k_base";

interface Counter {
  tiktoken: Tiktoken;
  pattern: RegExp;
  memo: Map<string, number>;
}

// Past this many distinct pieces the memo starts again: bounded memory on any input.
const MEMO_MAX = 500_000;
export const LONG_PIECE = 128;

const KEY = Symbol.for("batchboard.tokens.counters");
const g = globalThis as unknown as Record<symbol, Map<Encoding, Promise<Counter>> | undefined>;
const counters = (g[KEY] ??= new Map<Encoding, Promise<Counter>>());

async function loadRanks(encoding: Encoding): Promise<TiktokenBPE> {
  // Imported on demand: each table is megabytes of JavaScript, and most processes need one or none.
  const mod = encoding === "o200k_base" ? await import("js-tiktoken/ranks/o200k_base") : await import("js-tiktoken/ranks/cl100k_base");
  return mod.default;
}

function counter(encoding: Encoding): Promise<Counter> {
  let c = counters.get(encoding);
  if (!c) {
    c = loadRanks(encoding).then((ranks) => ({ tiktoken: new Tiktoken(ranks), pattern: new RegExp(ranks.pat_str, "gu"), memo: new Map() }));
    // A failed load is not remembered: the next call tries again.
    c.catch(() => counters.delete(encoding));
    counters.set(encoding, c);
  }
  return c;
}

/** A synchronous counter for one encoding, for counting many texts in a loop. */
export interface TokenCounter {
  encoding: Encoding;
  count(text: string): number;
}

export async function tokenCounter(encoding: Encoding): Promise<TokenCounter> {
  const { tiktoken, pattern, memo } = await counter(encoding);
  return {
    encoding,
    count(text: string) {
      if (!text) return 0;
      const one = (piece: string) => {
        let k = memo.get(piece);
        if (k === undefined) {
          // [] and []: no special token is allowed or refused, so they are encoded as plain text.
          k = tiktoken.encode(piece, [], []).length;
          if (memo.size >= MEMO_MAX) memo.clear();
          memo.set(piece, k);
        }
        return k;
      };
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

/** The exact token ids of a text (tests compare the memoised count with them). */
export async function encode(encoding: Encoding, text: string): Promise<number[]> {
  return (await counter(encoding)).tiktoken.encode(text, [], []);
}
