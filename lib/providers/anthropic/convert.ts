// An uploaded OpenAI chat-completions body as Anthropic Messages `params`, and Anthropic's custom_id
// rule. Pure: no I/O, so every rule is unit-tested (convert.test.ts). What has no Anthropic
// equivalent is a problem with its line, never silently dropped.
/** Used when a body names neither max_tokens nor max_completion_tokens (Anthropic requires one). */
export const DEFAULT_MAX_TOKENS = 4096;

/** Anthropic's custom_id rule. */
export const CUSTOM_ID_RULE = /^[a-zA-Z0-9_-]{1,64}$/;

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === "object" && v !== null && !Array.isArray(v);

export type Converted = { params: Obj; problems?: undefined } | { params?: undefined; problems: string[] };

/** Fields of a chat-completions body that are harmless to drop (they change nothing in a batch answer). */
const DROPPED = new Set(["store", "stream_options", "parallel_tool_calls", "service_tier", "seed"]);
/** Messages fields a file written for Anthropic may carry already: passed as they are. */
const NATIVE = new Set(["top_k", "thinking", "stop_sequences", "metadata"]);

function textOfParts(content: unknown, where: string, problems: string[]): string | null {
  if (typeof content === "string") return content;
  if (Array.isArray(content) && content.every((p) => isObj(p) && p.type === "text" && typeof p.text === "string")) {
    return content.map((p) => (p as { text: string }).text).join("\n");
  }
  problems.push(`${where} must be text (a string or text parts)`);
  return null;
}

/** One content part of a user or assistant message as an Anthropic content block. */
function blockOf(part: unknown, where: string, problems: string[]): Obj | null {
  if (!isObj(part)) {
    problems.push(`${where} is not an object`);
    return null;
  }
  if (part.type === "text" && typeof part.text === "string") return { type: "text", text: part.text };
  if (part.type === "image_url") {
    const url = isObj(part.image_url) ? part.image_url.url : part.image_url;
    if (typeof url === "string") {
      const m = /^data:(image\/(?:png|jpeg|gif|webp));base64,(.+)$/s.exec(url);
      if (m) return { type: "image", source: { type: "base64", media_type: m[1], data: m[2] } };
      if (/^https?:\/\//.test(url)) return { type: "image", source: { type: "url", url } };
    }
    problems.push(`${where}: an image must be an http(s) URL or a base64 data URL of a PNG, JPEG, GIF or WebP image`);
    return null;
  }
  problems.push(`${where} has type ${JSON.stringify(part.type)}, which cannot be converted (text and image_url can)`);
  return null;
}

/**
 * An OpenAI chat-completions body as Anthropic Messages params: system and developer messages go to
 * `system`, max_tokens is max_completion_tokens ?? max_tokens ?? DEFAULT_MAX_TOKENS, `stop` becomes
 * `stop_sequences`, `user` becomes `metadata.user_id`. Anything with no Anthropic equivalent (tools,
 * response_format, n > 1, temperature over 1...) is a problem rather than silently dropped: the
 * answer would not be what the file asked for.
 */
export function toAnthropicParams(body: unknown): Converted {
  const problems: string[] = [];
  if (!isObj(body)) return { problems: ["the body is not a JSON object"] };
  const params: Obj = {};
  const system: string[] = [];
  const messages: Obj[] = [];

  if (typeof body.model !== "string" || !body.model) problems.push("body.model is missing");
  else params.model = body.model;

  if (!Array.isArray(body.messages) || body.messages.length === 0) problems.push("body.messages must be a non-empty list");
  else {
    body.messages.forEach((m, i) => {
      const where = `messages[${i}]`;
      if (!isObj(m)) return problems.push(`${where} is not an object`);
      if (m.role === "system" || m.role === "developer") {
        const t = textOfParts(m.content, `${where}.content (${m.role})`, problems);
        if (t !== null) system.push(t);
      } else if (m.role === "user" || m.role === "assistant") {
        if (m.tool_calls !== undefined || m.function_call !== undefined) return problems.push(`${where} has tool calls, which are not converted`);
        if (typeof m.content === "string") messages.push({ role: m.role, content: m.content });
        else if (Array.isArray(m.content)) {
          const blocks = m.content.map((p, j) => blockOf(p, `${where}.content[${j}]`, problems)).filter((b): b is Obj => b !== null);
          messages.push({ role: m.role, content: blocks });
        } else problems.push(`${where}.content is missing`);
      } else problems.push(`${where} has role ${JSON.stringify(m.role)}, which cannot be converted (system, developer, user and assistant can)`);
    });
    if (!problems.length && messages.length === 0) problems.push("body.messages has no user or assistant message");
  }
  if (typeof body.system === "string") system.unshift(body.system); // already Anthropic's field
  if (system.length) params.system = system.join("\n\n");
  params.messages = messages;

  const maxTokens = body.max_completion_tokens ?? body.max_tokens ?? DEFAULT_MAX_TOKENS;
  if (!Number.isInteger(maxTokens) || (maxTokens as number) < 1) problems.push(`max_tokens must be a whole number of at least 1 (it is ${JSON.stringify(maxTokens)})`);
  else params.max_tokens = maxTokens;

  if (body.temperature !== undefined && body.temperature !== null) {
    const t = body.temperature;
    if (typeof t !== "number" || t < 0 || t > 1) problems.push(`temperature is ${JSON.stringify(t)}; Anthropic takes 0 to 1`);
    else params.temperature = t;
  }
  if (body.top_p !== undefined && body.top_p !== null) params.top_p = body.top_p;
  if (body.stop !== undefined && body.stop !== null) {
    const stops = typeof body.stop === "string" ? [body.stop] : body.stop;
    if (!Array.isArray(stops) || !stops.every((s) => typeof s === "string")) problems.push("stop must be a string or a list of strings");
    else params.stop_sequences = stops;
  }
  if (typeof body.user === "string" && body.user) params.metadata = { user_id: body.user };
  if (body.n !== undefined && body.n !== null && body.n !== 1) problems.push(`n is ${JSON.stringify(body.n)}; Anthropic answers once per request`);
  if (body.stream === true) problems.push("stream must not be true in a batch");

  const handled = new Set(["model", "messages", "system", "max_tokens", "max_completion_tokens", "temperature", "top_p", "stop", "user", "n", "stream"]);
  const unknown: string[] = [];
  for (const [k, v] of Object.entries(body)) {
    if (handled.has(k) || DROPPED.has(k) || v === null) continue;
    if (NATIVE.has(k)) params[k] = v;
    else unknown.push(k);
  }
  if (unknown.length) problems.push(`${unknown.join(", ")} ${unknown.length === 1 ? "has" : "have"} no Anthropic equivalent here; remove ${unknown.length === 1 ? "it" : "them"}`);

  return problems.length ? { problems } : { params };
}

/** A custom_id Anthropic would refuse, in words; null when it is fine. */
export function customIdProblem(customId: string): string | null {
  return CUSTOM_ID_RULE.test(customId) ? null : `custom_id "${customId.slice(0, 70)}" must be 1 to 64 characters of letters, digits, "-" and "_" for Anthropic`;
}

/**
 * Anthropic Messages `params` (a request of the Message Batches API Batchboard serves) as the
 * chat-completions body Batchboard stores, which toAnthropicParams turns back into the same params:
 * a list of text blocks as `system` becomes its text, image blocks become image_url parts; the rest
 * (system, max_tokens, stop_sequences, metadata, top_k, thinking...) is already a field it passes.
 */
export function fromAnthropicParams(params: unknown): { body: Obj; problems?: undefined } | { body?: undefined; problems: string[] } {
  if (!isObj(params)) return { problems: ["params is not a JSON object"] };
  const problems: string[] = [];
  const body: Obj = { ...params };
  if (Array.isArray(params.system)) {
    const t = textOfParts(params.system, "params.system", problems);
    if (t !== null) body.system = t;
  }
  if (Array.isArray(params.messages)) {
    body.messages = params.messages.map((m, i) => {
      if (!isObj(m) || !Array.isArray(m.content)) return m;
      return {
        ...m,
        content: m.content.map((b, j) => {
          if (!isObj(b) || b.type !== "image") return b;
          const src = isObj(b.source) ? b.source : {};
          if (src.type === "base64" && typeof src.media_type === "string" && typeof src.data === "string") return { type: "image_url", image_url: { url: `data:${src.media_type};base64,${src.data}` } };
          if (src.type === "url" && typeof src.url === "string") return { type: "image_url", image_url: { url: src.url } };
          problems.push(`params.messages[${i}].content[${j}]: an image must have a base64 or url source`);
          return b;
        }),
      };
    });
  }
  return problems.length ? { problems } : { body };
}
