// Provider answers are redacted as they come in, before any code reads them: some providers repeat
// the key they were sent in an error ("Incorrect API key provided: sk-…"), and an SDK turns that
// body into its error's message, which would then be shown, stored (lastSyncError) and logged.
// Wrapping the fetch the SDKs use makes this the one place provider words enter Batchboard, so no
// later path (launch, sync, cancel, import, connection test) can forget it.
// Redacted: every response's header values; the body of every error answer (status >= 400) and of
// every JSON answer up to 1 MB (batch objects carry provider messages in `errors`). File contents
// (JSONL results, often hundreds of MB) stream through untouched.
import "server-only";
import { redact } from "@/lib/redact";

const MAX_REDACTED_BODY = 1024 * 1024;
/** Statuses whose Response may not carry a body. */
const NULL_BODY = new Set([101, 103, 204, 205, 304]);

function isJson(contentType: string | null) {
  return !!contentType && /\bjson\b/i.test(contentType) && !/jsonl|ndjson|json-seq/i.test(contentType);
}

export function redactingFetch(inner: typeof fetch, secrets: readonly string[]): typeof fetch {
  return async (input, init) => {
    const res = await inner(input, init);
    const headers = new Headers();
    let changed = false;
    res.headers.forEach((value, name) => {
      const clean = redact(value, secrets);
      if (clean !== value) changed = true;
      headers.append(name, clean);
    });
    const length = Number(res.headers.get("content-length") ?? NaN);
    const readBody = res.status >= 400 || (isJson(res.headers.get("content-type")) && Number.isFinite(length) && length <= MAX_REDACTED_BODY);
    if (!readBody || !res.body || NULL_BODY.has(res.status)) {
      return changed ? new Response(res.body, { status: res.status, statusText: res.statusText, headers }) : res;
    }
    const text = await readCapped(res, MAX_REDACTED_BODY);
    headers.delete("content-length");
    headers.delete("content-encoding");
    return new Response(redact(text, secrets), { status: res.status, statusText: res.statusText, headers });
  };
}

/** The body as text, cut at `max` bytes (an error page has no business being larger). */
async function readCapped(res: Response, max: number): Promise<string> {
  const reader = res.body!.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks.push(value);
    size += value.byteLength;
    if (size >= max) {
      await reader.cancel().catch(() => {});
      break;
    }
  }
  return new TextDecoder().decode(Buffer.concat(chunks).subarray(0, max));
}
