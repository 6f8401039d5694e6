// The tokens of one stored request body: what the provider will count as input, and the most it may
// answer. Chat messages carry a framing overhead of their own, as OpenAI's cookbook counts it
// ("How to count tokens with tiktoken"): 3 tokens a message, 1 more for a `name`, and 3 that prime
// the reply. Tool definitions and tool calls are counted as their JSON text (the provider's own
// rendering differs a little). Images and audio are not counted (their cost depends on their size
// and detail): they are reported so the UI can say so.
import type { TokenCounter } from "./tokenizer";

type Json = unknown;

export const TOKENS_PER_MESSAGE = 3;
export const TOKENS_PER_NAME = 1;
export const REPLY_PRIMING = 3;

export interface RequestTokens {
  input: number;
  /** max_completion_tokens / max_tokens / max_output_tokens; 0 for embeddings and moderations; null when unset. */
  maxOutput: number | null;
  /** Image and audio parts, not counted in `input`. */
  media: number;
}

function isObject(v: Json): v is Record<string, Json> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

const NO_OUTPUT = new Set(["/v1/embeddings", "/v1/moderations"]);

class Tally {
  input = 0;
  media = 0;
  constructor(readonly c: TokenCounter) {}

  text(s: Json) {
    if (typeof s === "string") this.input += this.c.count(s);
  }

  json(v: Json) {
    if (v !== undefined && v !== null) this.input += this.c.count(JSON.stringify(v));
  }

  /** A message's content: a string, or parts (text counted, media reported). */
  content(content: Json) {
    if (typeof content === "string") return this.text(content);
    if (!Array.isArray(content)) return;
    for (const part of content) {
      if (typeof part === "string") this.text(part);
      else if (isObject(part)) {
        if (typeof part.text === "string") this.text(part.text);
        else if (typeof part.refusal === "string") this.text(part.refusal);
        else if (/image|audio|file/.test(String(part.type ?? ""))) this.media++;
      }
    }
  }

  messages(list: Json[]) {
    for (const m of list) {
      if (!isObject(m)) continue;
      this.input += TOKENS_PER_MESSAGE;
      this.text(m.role);
      this.content(m.content);
      if (typeof m.name === "string") {
        this.text(m.name);
        this.input += TOKENS_PER_NAME;
      }
      // Responses API items that are not messages (function calls and their outputs).
      if (m.type === "function_call" || m.type === "function_call_output") this.json({ name: m.name, arguments: m.arguments, output: m.output });
      this.json(m.tool_calls);
      this.json(m.function_call);
    }
    this.input += REPLY_PRIMING;
  }

  /** embeddings, moderations and completions: a string, strings, or token ids. */
  plainInput(v: Json) {
    if (typeof v === "string") return this.text(v);
    if (!Array.isArray(v)) return this.content(v);
    for (const x of v) {
      if (typeof x === "string") this.text(x);
      else if (typeof x === "number") this.input += 1;
      else if (Array.isArray(x)) this.input += x.length;
      else if (isObject(x)) this.content([x]);
    }
  }
}

function positiveInt(v: Json): number | null {
  return typeof v === "number" && Number.isFinite(v) && v >= 0 ? Math.floor(v) : null;
}

export function requestTokens(endpoint: string, body: Json, counter: TokenCounter): RequestTokens {
  const t = new Tally(counter);
  if (!isObject(body)) return { input: 0, maxOutput: null, media: 0 };
  if (Array.isArray(body.messages)) {
    t.messages(body.messages);
  } else if (endpoint === "/v1/responses" || (body.input !== undefined && !NO_OUTPUT.has(endpoint))) {
    // The Responses API: instructions act as a system message; input is a string or a list of items.
    const items: Json[] = [];
    if (typeof body.instructions === "string") items.push({ role: "system", content: body.instructions });
    if (typeof body.input === "string") items.push({ role: "user", content: body.input });
    else if (Array.isArray(body.input)) items.push(...body.input.map((x) => (typeof x === "string" ? { role: "user", content: x } : x)));
    t.messages(items);
  } else if (body.input !== undefined) {
    t.plainInput(body.input);
  } else if (body.prompt !== undefined) {
    t.plainInput(body.prompt);
  }
  t.json(body.tools);
  t.json(body.functions);
  const maxOutput = NO_OUTPUT.has(endpoint)
    ? 0
    : (positiveInt(body.max_completion_tokens) ?? positiveInt(body.max_tokens) ?? positiveInt(body.max_output_tokens));
  return { input: t.input, maxOutput, media: t.media };
}
