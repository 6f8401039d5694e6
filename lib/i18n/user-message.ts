// What a server action answers the user (a refusal, a field's error) in the user's language. The
// code that refuses writes English (UserError, zod messages: the tests and the API read those); a
// message that reads exactly like an English message of messages/en.json, or like one with its
// {arguments} filled in, is answered in that message's translation. Anything else stays as it is.
import "server-only";
import { getTranslations } from "next-intl/server";
import { requestLocale } from "./server-messages.request";
import en from "@/messages/en.json";
import { localize } from "./server-messages";

type Tree = { [k: string]: string | Tree };

interface Pattern {
  key: string;
  regex: RegExp;
  names: string[];
  /** Characters of fixed text: the most specific pattern wins. */
  weight: number;
}

/** A message with only plain {arguments} (no plural, select or tags) as a pattern over its English text. */
function patternOf(key: string, message: string): Pattern | null {
  if (/<|'[{}#']|\{\s*\w+\s*,/.test(message)) return null;
  const names: string[] = [];
  let source = "";
  let weight = 0;
  for (const part of message.split(/(\{\s*\w+\s*\})/)) {
    const arg = /^\{\s*(\w+)\s*\}$/.exec(part);
    if (arg) {
      names.push(arg[1]);
      source += "(.+?)";
    } else {
      source += part.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
      weight += part.length;
    }
  }
  // A message that is mostly its arguments ("{a}: {b}") would match anything.
  if (names.length === 0 || weight < 12) return null;
  return { key, regex: new RegExp(`^${source}$`, "s"), names, weight };
}

let index: { exact: Map<string, string>; patterns: Pattern[] } | null = null;

function english() {
  if (index) return index;
  const exact = new Map<string, string>();
  const patterns: Pattern[] = [];
  const walk = (tree: Tree, prefix: string) => {
    for (const [k, v] of Object.entries(tree)) {
      const key = `${prefix}${k}`;
      if (typeof v !== "string") walk(v, `${key}.`);
      else if (!v.includes("{") && !v.includes("<")) {
        if (!exact.has(v)) exact.set(v, key);
      } else {
        const p = patternOf(key, v);
        if (p) patterns.push(p);
      }
    }
  };
  walk(en as Tree, "");
  patterns.sort((a, b) => b.weight - a.weight);
  index = { exact, patterns };
  return index;
}

/** The key of the English message `text` reads as, with the values of its arguments; null when none. */
export function matchEnglish(text: string): { key: string; values: Record<string, string> } | null {
  const { exact, patterns } = english();
  const key = exact.get(text);
  if (key) return { key, values: {} };
  for (const p of patterns) {
    const m = p.regex.exec(text);
    if (m) return { key: p.key, values: Object.fromEntries(p.names.map((n, i) => [n, m[i + 1]])) };
  }
  return null;
}

/**
 * `text` in the language of this request: a label or note of en.json when it reads as one, else a
 * server message of the catalogue (lib/i18n/server-messages.ts), else `text` as it is.
 */
export async function localizeMessage(text: string): Promise<string>;
export async function localizeMessage(text: string | undefined): Promise<string | undefined>;
export async function localizeMessage(text: string | undefined): Promise<string | undefined> {
  if (!text || (await requestLocale()) === "en") return text;
  const found = matchEnglish(text);
  if (!found) return localize(text, "zh-CN");
  const t = await getTranslations();
  return t(found.key as never, found.values as never);
}
