// Every message exists in both languages with the same placeholders, so no page shows a raw key or
// drops a number in Chinese.
import { describe, expect, it } from "vitest";
import en from "@/messages/en.json";
import zh from "@/messages/zh-CN.json";

type Tree = { [k: string]: string | Tree };

/** key path → message, for every leaf. */
function flatten(tree: Tree, prefix = ""): Map<string, string> {
  const out = new Map<string, string>();
  for (const [k, v] of Object.entries(tree)) {
    const path = prefix ? `${prefix}.${k}` : k;
    if (typeof v === "string") out.set(path, v);
    else for (const [p, m] of flatten(v, path)) out.set(p, m);
  }
  return out;
}

/** The ICU arguments a message uses ({count}, {name, plural, ...}, <link>…</link>), sorted. */
function argumentsOf(message: string): string[] {
  const args = new Set<string>();
  for (const m of message.matchAll(/\{\s*([A-Za-z_][\w]*)\s*[,}]/g)) args.add(m[1]);
  for (const m of message.matchAll(/<([A-Za-z][\w]*)>/g)) args.add(`<${m[1]}>`);
  return [...args].sort();
}

const english = flatten(en as Tree);
const chinese = flatten(zh as Tree);

describe("messages", () => {
  it("has the same keys in English and Chinese", () => {
    expect([...chinese.keys()].filter((k) => !english.has(k))).toEqual([]);
    expect([...english.keys()].filter((k) => !chinese.has(k))).toEqual([]);
  });

  it("uses the same placeholders in both languages", () => {
    const differ = [...english].filter(([k, m]) => chinese.has(k) && argumentsOf(m).join() !== argumentsOf(chinese.get(k)!).join());
    expect(differ.map(([k]) => k)).toEqual([]);
  });

  it("leaves no Chinese message empty or still in English", () => {
    // A name or a term (JSONL, OpenAI, CSV) may read the same in both; an English phrase may not.
    const phrase = /[A-Za-z]{2,}[ ,.]+[a-z]{2,} [a-z]{2,}/;
    const untranslated = [...chinese].filter(([k, m]) => !m.trim() || (m === english.get(k) && phrase.test(m)));
    expect(untranslated.map(([k]) => k)).toEqual([]);
  });
});
