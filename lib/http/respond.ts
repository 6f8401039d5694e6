// How every route handler answers, in one place: JSON that no cache keeps, errors as
// { error: { message } } (the upload route's { error: "message" }, which its panel reads, is the
// one other shape), streamed downloads named so that any browser and file system take the name,
// and the one rule for failures: a UserError's message is the 400's, anything else is logged with
// its route and answered with the generic message (lib/errors.ts), so internals never leak. An
// error's message is in the request's language (lib/i18n/server-messages.ts): these routes answer
// the browser's pages; /api/v1 and /api/anthropic have their own answers, in English.
// A handler is a function of (who is asking, database, request) wrapped in guard, so its session,
// team and parameter checks are tested without a server; the route file only resolves the session.
import "server-only";
import { Readable } from "node:stream";
import { GENERIC_MESSAGE, UserError } from "@/lib/errors";
import { localizeResponse } from "@/lib/i18n/server-messages.request";
import { log } from "@/lib/log";

/** Answers about a team's data are the asker's only: no cache, shared or private, keeps them. */
export const noStore = { "cache-control": "no-store" };

export function json(data: unknown, status = 200): Response {
  return Response.json(data, { status, headers: noStore });
}

export function error(status: number, message: string): Response {
  return json({ error: { message } }, status);
}

/** The upload route's error shape, { error: "message" }: the upload panel reads it. */
export function uploadError(status: number, message: string): Response {
  // Too many uploads at once: a hint of when to look again (an upload of a large file takes seconds).
  return Response.json({ error: message }, { status, headers: status === 429 ? { ...noStore, "retry-after": "10" } : noStore });
}

/** Signed out, or the session ended: the browser takes the user to sign in again. */
export const unauthorized = () => error(401, "Please sign in again.");

/** A download streamed as it is read: a closed download stops the reads behind `body`. */
export function stream(body: Readable, headers: Record<string, string>): Response {
  return new Response(Readable.toWeb(body) as ReadableStream<Uint8Array>, { headers: { ...noStore, ...headers } });
}

/** A CSV download named `disposition` (see attachment). */
export function csv(body: Readable, disposition: string): Response {
  return stream(body, { "content-type": "text/csv; charset=utf-8", "content-disposition": disposition });
}

/** A JSONL download named `disposition` (see attachment). */
export function ndjson(body: Readable, disposition: string): Response {
  return stream(body, { "content-type": "application/x-ndjson; charset=utf-8", "content-disposition": disposition });
}

/**
 * Runs a handler for a signed-in viewer (401 without one), turning a UserError into a 400 with its
 * message and anything else into a 500 whose details stay in the log under `route`. With
 * `notFound`, a NotFoundError (a lookup inside the domain code) is that 404 instead of a 400.
 */
export async function guard<V>(route: string, viewer: V | null, run: (viewer: V) => Promise<Response>, opts: { notFound?: string } = {}): Promise<Response> {
  return localizeResponse(await guarded(route, viewer, run, opts));
}

async function guarded<V>(route: string, viewer: V | null, run: (viewer: V) => Promise<Response>, opts: { notFound?: string }): Promise<Response> {
  if (!viewer) return unauthorized();
  try {
    return await run(viewer);
  } catch (err) {
    if (opts.notFound && (err as Error)?.name === "NotFoundError") return error(404, opts.notFound);
    if (err instanceof UserError) return error(400, err.message);
    log.error("api.unexpected_error", { route, err });
    return error(500, GENERIC_MESSAGE);
  }
}

/** A file name any browser and OS accept, from a batch name that may hold anything. */
export function safeFileName(name: string, suffix: string, fallback: string) {
  const base = name
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "") // accents off: "Résumé" becomes "Resume", not "Re-sume"
    .replace(/[^\w.-]+/g, "-")
    .replace(/-+/g, "-")
    .replace(/^[-.]+|[-.]+$/g, "")
    .slice(0, 80);
  return `${base || fallback}${suffix}`;
}

/** Content-Disposition with an ASCII name and, for names with other characters, the UTF-8 one. */
export function attachment(name: string, suffix: string, fallback: string) {
  const ascii = safeFileName(name, suffix, fallback);
  const full = `${name.replace(/[\\/:*?"<>|\u0000-\u001f]+/g, "-").trim().slice(0, 120) || fallback}${suffix}`;
  return full === ascii ? `attachment; filename="${ascii}"` : `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(full)}`;
}
