// The messages the server builds for a person (UserError, NotFoundError, a zod field error, a rate
// limit), in the person's language. They are built deep in lib/ as English, where no request and so
// no language exists, and the public APIs (/api/v1, /api/anthropic) answer their SDKs in English; so
// they are translated at the boundary to the browser (lib/actions.ts, the browser routes), gettext
// style: the English text is the key. A key may hold placeholders for what a template literal puts
// in ("{name} was not found."); what a placeholder captured is kept as it is (a name, a number),
// except where its name says it is a word or a sentence (see WORD_PLACEHOLDERS, SENTENCE_PLACEHOLDERS).
// Text with no entry stays English. The catalogue is lib/i18n/server-messages.zh-CN.ts; its test
// scans lib/ and app/ so that no message lands without an entry.
import type { Locale } from "./config";
import zhMessages from "@/messages/zh-CN.json";
import { openaiCompatibleProfile } from "@/lib/providers/openai-compatible/profile";
import { sandboxProfile } from "@/lib/providers/sandbox/profile";
import { zhCN, zhWords } from "./server-messages.zh-CN";

/** English key → translation, keys with {placeholders} where a template literal varies. */
export type Catalogue = Record<string, string>;

/** Placeholders whose capture is a word to translate too (a role, a status): `{role}`, `{status2}`. */
export const WORD_PLACEHOLDERS = /^(role|status|unit|word|what)\d*$/;
/** Placeholders whose capture is a message of its own (a reason, the rest of a list): translated whole. */
export const SENTENCE_PLACEHOLDERS = /^(reason|detail|problem|problems|message|more|rest|sentence)\d*$/;

const PLACEHOLDER = /\{([A-Za-z][\w]*)\}/g;

interface Pattern {
  key: string;
  value: string;
  names: string[];
  /** Word placeholders match only their words; no placeholder but a sentence one spans sentences. */
  re: RegExp;
  /** Then a word placeholder matches any words too (kept in English when the catalogue lacks them). */
  relaxed: RegExp;
  /** Any placeholder anything: for the coverage test, whose stand-ins are no words. */
  loose: RegExp;
  literal: number;
}

interface Compiled {
  exact: Map<string, string>;
  patterns: Pattern[];
  words: Map<string, string>;
  /** The app's own names for what it provides (the built-in Sandbox), worded wherever a name is captured. */
  names: [string, string][];
}

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/** The placeholders of a key or its translation, in order. */
export function placeholdersOf(text: string): string[] {
  return [...text.matchAll(PLACEHOLDER)].map((m) => m[1]);
}

/** What starts the next sentence after ". " (SENTENCE_END, WITHIN_SENTENCE). */
const SENTENCE_START = '["“A-Z0-9…]';
const ANY = "([\\s\\S]*?)";
/** Text that does not cross into the next sentence (". A"), so "Line {a}: …" cannot take three lines' problems. */
const WITHIN_SENTENCE = `((?:(?![.!?]\\s+${SENTENCE_START})[\\s\\S])*?)`;

function compile(catalogue: Catalogue, words: Record<string, string>, names: [string, string][]): Compiled {
  // A word placeholder is one of the words (as written, or capitalised), with the space before it, or nothing.
  const forms = Object.keys(words).flatMap((w) => [w, w[0].toUpperCase() + w.slice(1)]);
  forms.sort((a, b) => b.length - a.length);
  const wordAlternatives = `( ?(?:${forms.map(escape).join("|")})|)`;
  const exact = new Map<string, string>();
  const patterns: Pattern[] = [];
  for (const [key, value] of Object.entries(catalogue)) {
    const names = placeholdersOf(key);
    if (names.length === 0) {
      exact.set(key, value);
      continue;
    }
    const parts = key.split(PLACEHOLDER);
    const build = (placeholder: (name: string) => string) => new RegExp(`^${parts.map((part, i) => (i % 2 === 0 ? escape(part) : placeholder(part))).join("")}$`);
    const re = build((name) => (WORD_PLACEHOLDERS.test(name) ? wordAlternatives : SENTENCE_PLACEHOLDERS.test(name) ? ANY : WITHIN_SENTENCE));
    const relaxed = build((name) => (SENTENCE_PLACEHOLDERS.test(name) ? ANY : WITHIN_SENTENCE));
    patterns.push({ key, value, names, re, relaxed, loose: build(() => ANY), literal: key.replace(PLACEHOLDER, "").length });
  }
  // The most specific first: of two keys that match, the one with more fixed text wins
  // ("{n} batches ran on this file: …" over "{a} ran on this file: …").
  patterns.sort((a, b) => b.literal - a.literal);
  return { exact, patterns, words: new Map(Object.entries(words).map(([k, v]) => [k.toLowerCase(), v])), names };
}

/** The labels that are the app's own words, as pages word them too (components/ui/provider-label.ts). */
const ownNames = (words: { sandboxLabel: string; customCompatibleLabel: string }): [string, string][] => [
  [sandboxProfile.label, words.sandboxLabel],
  [openaiCompatibleProfile.label, words.customCompatibleLabel],
];

const catalogues: Partial<Record<Locale, Compiled>> = {};
function catalogueOf(locale: Locale): Compiled | null {
  if (locale === "zh-CN") return (catalogues[locale] ??= compile(zhCN, zhWords, ownNames(zhMessages.providers)));
  return null;
}

/** The catalogue entry a message matches (its key), or undefined: for the coverage test. */
export function entryFor(message: string, locale: Locale = "zh-CN"): string | undefined {
  const c = catalogueOf(locale);
  if (!c) return undefined;
  if (c.exact.has(message)) return message;
  return c.patterns.find((p) => p.loose.test(message))?.key;
}

function translateWhole(c: Compiled, message: string, depth: number): string | undefined {
  const exact = c.exact.get(message);
  if (exact !== undefined) return exact;
  for (const which of ["re", "relaxed"] as const) {
    for (const p of c.patterns) {
      const m = p[which].exec(message);
      if (!m) continue;
      const values: Record<string, string> = {};
      p.names.forEach((name, i) => {
        const v = m[i + 1];
        if (WORD_PLACEHOLDERS.test(name)) values[name] = c.words.get(v.trim().toLowerCase()) ?? v;
        else if (SENTENCE_PLACEHOLDERS.test(name) && depth < 3) values[name] = translate(c, v, depth + 1);
        else values[name] = c.names.reduce((s, [english, words]) => s.replaceAll(english, words), v);
      });
      // An empty or translated word leaves no space before Chinese punctuation.
      return p.value.replace(PLACEHOLDER, (all, name: string) => values[name] ?? all).replace(/[ \t]+([。，：；）、])/g, "$1");
    }
  }
  return undefined;
}

/** A sentence boundary in English text: the text after it starts a new sentence. */
const SENTENCE_END = new RegExp(`(?<=[.!?])\\s+(?=${SENTENCE_START})`);

function translate(c: Compiled, message: string, depth: number): string {
  const trimmed = message.trim();
  if (!trimmed) return message;
  const whole = translateWhole(c, trimmed, depth);
  if (whole !== undefined) return whole;
  // Messages joined from several (the problems of a launch, a refusal and its advice): each
  // sentence on its own; those without an entry stay English.
  const sentences = trimmed.split(SENTENCE_END);
  if (sentences.length < 2) return message;
  const out = sentences.map((s) => translateWhole(c, s, depth));
  if (out.every((s) => s === undefined)) return message;
  return out.map((s, i) => s ?? `${sentences[i]} `).join("").trim();
}

/** `message` in `locale`: its translation where the catalogue has one, else the English itself. */
export function localize(message: string, locale: Locale): string {
  const c = catalogueOf(locale);
  if (!c || !message) return message;
  return translate(c, message, 0);
}

/** Every value of a field-error map localized. */
export function localizeFields(fields: Record<string, string> | undefined, locale: Locale): Record<string, string> | undefined {
  if (!fields) return fields;
  return Object.fromEntries(Object.entries(fields).map(([k, v]) => [k, localize(v, locale)]));
}

/** A file's problems or warnings (stored in English) with their messages in `locale`. */
export function localizeProblems<T extends { message: string }>(problems: T[], locale: Locale): T[] {
  if (!catalogueOf(locale)) return problems;
  return problems.map((p) => ({ ...p, message: localize(p.message, locale) }));
}
