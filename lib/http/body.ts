// A request body read whole, but never past a limit: the routes that take a small JSON or form body
// outside proxy.ts (the API's batch create, Auth.js's sign-in) read it through this, so that a body
// of gigabytes, announced or not, is refused after `max` bytes instead of filling the memory.

/** The body's bytes, or null once it is longer than `max` (by its Content-Length, or as it streams). */
export async function readCapped(request: Request, max: number): Promise<Uint8Array<ArrayBuffer> | null> {
  const declared = Number(request.headers.get("content-length") ?? NaN);
  // A refused body is left unread, not cancelled: cancelling would destroy the socket before the 413
  // could be sent, and Node discards what is left of a request once its answer ends.
  if (declared > max) return null;
  if (!request.body) return new Uint8Array(0);
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > max) {
      reader.releaseLock();
      return null;
    }
    chunks.push(value);
  }
  const out = new Uint8Array(size);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.byteLength;
  }
  return out;
}
