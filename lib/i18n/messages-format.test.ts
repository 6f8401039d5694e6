// Beyond messages.test.ts (same keys, same placeholder names): each message uses its arguments the
// same way in both languages (a number where English counts, one of some values where English
// selects), and every message formats in its language with such arguments, so an ICU syntax error
// (an unclosed brace, a branch without a message) shows here rather than on a page.
import { describe, expect, it } from "vitest";
import { createTranslator } from "next-intl";
import en from "@/messages/en.json";
import zh from "@/messages/zh-CN.json";
import { icuArguments } from "./icu";

type Tree = { [k: string]: string | Tree };

/** Every message of a tree as [dotted key, text]. */
function flatten(tree: Tree, prefix = ""): [string, string][] {
  return Object.entries(tree).flatMap(([k, v]) => (typeof v === "string" ? [[prefix + k, v] as [string, string]] : flatten(v, `${prefix}${k}.`)));
}

/** Values that satisfy a message's arguments: numbers for counts, dates for dates, "other" for selects, tags as-is. */
function sampleValues(args: string[]) {
  const values: Record<string, unknown> = {};
  for (const a of args) {
    const [name, kind] = a.split(":");
    values[name] = kind === "tag" ? (chunks: string) => `[${chunks}]` : kind === "number" ? 2 : kind === "date" ? new Date(0) : kind === "select" ? "other" : "x";
  }
  return values;
}

const enMessages = new Map(flatten(en as Tree));
const zhMessages = new Map(flatten(zh as Tree));

describe("messages, formatted", () => {
  it("each message uses its arguments and tags the same way in both languages", () => {
    const differ = [...enMessages.keys()]
      .filter((k) => zhMessages.has(k))
      .map((k) => ({ key: k, en: icuArguments(enMessages.get(k)!), zh: icuArguments(zhMessages.get(k)!) }))
      .filter((d) => JSON.stringify(d.en) !== JSON.stringify(d.zh));
    expect(differ).toEqual([]);
  });

  it("every message formats in its language", () => {
    const failures: string[] = [];
    for (const [locale, tree, flat] of [
      ["en", en, enMessages],
      ["zh-CN", zh, zhMessages],
    ] as const) {
      const t = createTranslator({ locale, messages: tree as Tree, onError: (e) => failures.push(`${locale}: ${e.message}`) });
      for (const [key, text] of flat) {
        const out = t.markup(key as never, sampleValues(icuArguments(text)) as never);
        if (typeof out !== "string" || out === key) failures.push(`${locale}: ${key} did not format`);
      }
    }
    expect(failures).toEqual([]);
  });
});
