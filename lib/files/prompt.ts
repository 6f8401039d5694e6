// The text shown beside an answer: what the person asked. For chat and responses requests it is the
// last user message (its text parts joined), for embeddings and moderations the input, for legacy
// completions the prompt. Pure, so results pages and exports can use it too.

type Json = unknown;

function isObject(v: Json): v is Record<string, Json> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** Text of a message's content: a string, or parts of which the text ones are kept. */
export function contentText(content: Json): string | null {
  if (typeof content === "string") return content;
  if (!Array.isArray(content)) return null;
  const out: string[] = [];
  for (const part of content) {
    if (typeof part === "string") out.push(part);
    else if (isObject(part)) {
      if (typeof part.text === "string") out.push(part.text);
      else if (part.type === "image_url" || part.type === "input_image" || part.type === "image") out.push("[image]");
      else if (part.type === "input_audio" || part.type === "audio") out.push("[audio]");
      else if (part.type === "file" || part.type === "input_file") out.push("[file]");
    }
  }
  return out.length ? out.join("\n") : null;
}

function lastUserText(items: Json[]): string | null {
  for (let i = items.length - 1; i >= 0; i--) {
    const m = items[i];
    if (isObject(m) && m.role === "user") return contentText(m.content);
  }
  return null;
}

function inputText(input: Json): string | null {
  if (typeof input === "string") return input;
  if (!Array.isArray(input)) return null;
  if (input.every((x) => typeof x === "string")) return input.join("\n");
  // Token ids ([1, 2, 3] or [[1, 2], [3]]) have no text to show.
  if (input.every((x) => typeof x === "number" || Array.isArray(x))) return `[${input.length} token input${input.length === 1 ? "" : "s"}]`;
  // The Responses API: a list of message items; moderations: a list of parts.
  return lastUserText(input) ?? contentText(input);
}

export function promptOf(endpoint: string, body: Json): string | null {
  if (!isObject(body)) return null;
  if (Array.isArray(body.messages)) {
    const user = lastUserText(body.messages);
    if (user !== null) return user;
  }
  if (endpoint === "/v1/completions" || (body.prompt !== undefined && body.input === undefined)) {
    const p = body.prompt;
    if (typeof p === "string") return p;
    if (Array.isArray(p)) return inputText(p);
  }
  if (body.input !== undefined) return inputText(body.input);
  if (Array.isArray(body.messages)) {
    // No user message (only a system prompt, say): show the last message of any role.
    const last = body.messages[body.messages.length - 1];
    if (isObject(last)) return contentText(last.content);
  }
  return null;
}
