// The word-level difference of two answers (jsdiff's diffWords), split into what each side shows:
// A's text with the words B lacks marked, and B's text with the words A lacks marked. Chinese and
// Japanese have no spaces between words, so text in those scripts is cut into words by
// Intl.Segmenter (jsdiff's intlSegmenter option) instead of counting a whole sentence as one word.
// Pure: it runs on the server (the compare page) and could run in a browser alike.
import { diffWords } from "diff";

export interface DiffPart {
  text: string;
  /** Only on this side: removed (A's view) or added (B's view). */
  changed: boolean;
}

export interface WordDiff {
  a: DiffPart[];
  b: DiffPart[];
  /** False when the texts were too long or too different to diff in time: shown plain. */
  diffed: boolean;
}

/** Past this many characters a side, or this much work, the answers are shown without a diff. */
const MAX_CHARS = 20_000;
const TIMEOUT_MS = 50;

const CJK = /[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff]/;

let segmenter: Intl.Segmenter | undefined;

export function wordDiff(a: string, b: string): WordDiff {
  const plain = { a: [{ text: a, changed: false }], b: [{ text: b, changed: false }] };
  if (a === b) return { ...plain, diffed: true };
  if (a.length > MAX_CHARS || b.length > MAX_CHARS) return { ...plain, diffed: false };
  const cjk = CJK.test(a) || CJK.test(b);
  if (cjk) segmenter ??= new Intl.Segmenter(undefined, { granularity: "word" });
  const changes = diffWords(a, b, { timeout: TIMEOUT_MS, ...(cjk ? { intlSegmenter: segmenter } : {}) });
  if (!changes) return { ...plain, diffed: false };
  const out: WordDiff = { a: [], b: [], diffed: true };
  for (const c of changes) {
    if (!c.added) push(out.a, c.value, Boolean(c.removed));
    if (!c.removed) push(out.b, c.value, Boolean(c.added));
  }
  return out;
}

/** Neighbours of the same kind merge, so that one change is one mark; a mark never starts or ends in blanks. */
function push(parts: DiffPart[], text: string, changed: boolean) {
  if (changed) {
    const m = /^(\s*)([\s\S]*?)(\s*)$/.exec(text)!;
    if (m[2] === "") return add(parts, text, false);
    add(parts, m[1], false);
    add(parts, m[2], true);
    add(parts, m[3], false);
    return;
  }
  add(parts, text, false);
}

function add(parts: DiffPart[], text: string, changed: boolean) {
  if (!text) return;
  const last = parts[parts.length - 1];
  if (last && last.changed === changed) last.text += text;
  else parts.push({ text, changed });
}
