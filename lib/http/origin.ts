// The cross-site request check of every mutating route handler (POST, PUT, PATCH, DELETE under
// app/api), the same one Next 16 makes before it runs a server action
// (next/dist/server/app-render/action-handler.js), so a route and an action accept the same senders:
// - The Origin header's host (host:port, scheme ignored) must equal the first X-Forwarded-Host, or
//   the Host header when there is none, or match ALLOWED_ORIGINS (Next's serverActions.allowedOrigins,
//   fed from the same setting in next.config.mjs, matched by Next's own function). "Origin: null"
//   (sandboxed frames, privacy-sensitive redirects) is foreign unless allowed.
// - No Origin header at all passes. A browser always sends Origin on a cross-site POST (and on
//   same-origin fetches and form posts); a request without one comes from a script, curl or an SDK,
//   which holds no visitor's cookies: it can only use credentials its author gave it. This keeps
//   bearer-token clients (the later OpenAI-compatible API) working from curl.
// - X-Forwarded-Host is believed as Next believes it: a page on another site cannot set it (a
//   cross-site fetch with that header needs a CORS preflight, which Batchboard never grants).
// Applied before the body is read. Exempt, and why: /api/auth (Auth.js checks its own double-submit
// CSRF token on every POST) and /api/sandbox (authorised by a bearer key, never by a cookie, so a
// foreign page has nothing to borrow; it answers like a real provider, which checks no Origin).
import { isCsrfOriginAllowed } from "next/dist/server/app-render/csrf-protection";
import { settings } from "@/lib/env";
import { error } from "./respond";

/** Why the request must be refused, or null when its Origin is this app's own (or absent, or allowed). */
export function foreignOrigin(headers: Headers, allowedOrigins: string[] = settings().ALLOWED_ORIGINS): string | null {
  const origin = headers.get("origin");
  if (origin === null) return null;
  let originHost: string;
  if (origin === "null") originHost = "null";
  else {
    try {
      originHost = new URL(origin).host;
    } catch {
      return `This request's Origin header (${shorten(origin)}) is not a web address, so it was refused.`;
    }
  }
  const ownHost = headers.get("x-forwarded-host")?.split(",")[0]?.trim() || headers.get("host");
  if (originHost === ownHost || isCsrfOriginAllowed(originHost, allowedOrigins)) return null;
  return (
    `This request came from another site (${shorten(origin)}), not from Batchboard's own pages, so it was refused. ` +
    "If Batchboard is served at that address, add its host to ALLOWED_ORIGINS."
  );
}

/** For routes that answer { error: { message } }: a 403 to return at once, or null to go on. */
export function refuseForeignOrigin(request: Request): Response | null {
  const message = foreignOrigin(request.headers);
  return message ? error(403, message) : null;
}

/**
 * The address people reach Batchboard at, for links in answers (an invite, a batch's results_url):
 * PUBLIC_URL when set, else the host the request was sent to (the first X-Forwarded-Host, or Host)
 * with its scheme (X-Forwarded-Proto, else `scheme`). Never the address the server listens on, which
 * a client on another machine cannot reach. Null when the request names no host.
 */
export function publicOrigin(headers: Headers, scheme = "http"): string | null {
  const configured = settings().PUBLIC_URL;
  if (configured) return new URL(configured).origin;
  const host = headers.get("x-forwarded-host")?.split(",")[0]?.trim() || headers.get("host");
  const proto = headers.get("x-forwarded-proto")?.split(",")[0]?.trim() || scheme;
  return host ? `${proto}://${host}` : null;
}

const shorten = (v: string) => (v.length > 100 ? `${v.slice(0, 100)}…` : v);
