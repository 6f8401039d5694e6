// The pictures in one result line, for the results drawer: OpenAI's image endpoints answer an
// ImagesResponse whose `data` holds `b64_json` (gpt-image-1) or a `url` (dall-e), and the Responses
// API an `image_generation_call` item whose `result` is base64. Base64 becomes a data: URL (the
// pages' Content-Security-Policy allows data: images); a URL stays a link, never loaded by the page.
// Pure and browser-safe.

export type ResultImage = { kind: "data"; src: string } | { kind: "link"; href: string };

const MIME: Record<string, string> = { png: "image/png", jpeg: "image/jpeg", jpg: "image/jpeg", webp: "image/webp" };
const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === "object" && v !== null && !Array.isArray(v);

function dataUrl(b64: unknown, format: unknown): ResultImage | null {
  if (typeof b64 !== "string" || b64.length < 8 || !BASE64.test(b64)) return null;
  return { kind: "data", src: `data:${MIME[String(format)] ?? "image/png"};base64,${b64}` };
}

/** The images of a raw result line (JSON text), at most `max`. */
export function imagesOf(raw: string | null | undefined, max = 8): ResultImage[] {
  if (!raw) return [];
  let line: unknown;
  try {
    line = JSON.parse(raw);
  } catch {
    return [];
  }
  const body = isObj(line) && isObj(line.response) && isObj(line.response.body) ? line.response.body : null;
  if (!body) return [];
  const out: ResultImage[] = [];
  if (Array.isArray(body.data)) {
    for (const d of body.data) {
      if (!isObj(d)) continue;
      const img = dataUrl(d.b64_json, body.output_format);
      if (img) out.push(img);
      else if (typeof d.url === "string" && /^https:\/\//.test(d.url)) out.push({ kind: "link", href: d.url });
    }
  }
  if (Array.isArray(body.output)) {
    for (const item of body.output) {
      if (isObj(item) && item.type === "image_generation_call") {
        const img = dataUrl(item.result, item.output_format);
        if (img) out.push(img);
      }
    }
  }
  return out.slice(0, max);
}
