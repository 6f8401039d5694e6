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
import type { Tiktoken } from "js-tiktoken/lite";
import { cachedCounter } from "./bpe.mjs";

export type Encoding = "o200k_base" | "cl100k_base";
export { LONG_PIECE } from "./bpe.mjs";

interface Counter {
  tiktoken: Tiktoken;
  count(text: string): number;
}

const KEY = Symbol.for("batchboard.tokens.counters");
const g = globalThis as unknown as Record<symbol, Map<Encoding, Promise<Counter>> | undefined>;
const counters = (g[KEY] ??= new Map<Encoding, Promise<Counter>>());

function counter(encoding: Encoding): Promise<Counter> {
  return cachedCounter(counters, encoding);
}

/** A synchronous counter for one encoding, for counting many texts in a loop. */
export interface TokenCounter {
  encoding: Encoding;
  count(text: string): number;
}

export async function tokenCounter(encoding: Encoding): Promise<TokenCounter> {
  const { count } = await counter(encoding);
  return { encoding, count };
}

/** The exact token ids of a text (tests compare the memoised count with them). */
export async function encode(encoding: Encoding, text: string): Promise<number[]> {
  return (await counter(encoding)).tiktoken.encode(text, [], []);
}
