// What every request of Batchboard's APIs goes through, whichever provider's shape it answers in:
// the token (lib/api/tokens.ts: 401, 429 with Retry-After), the token's role (a read-only token only
// GETs: 403), the request scope that tells the audit log and a batch's source which token acted,
// and the one rule for failures: ApiError and UserError messages are the answer's, anything else is
// logged and answered with the generic message.
import "server-only";
import { can } from "@/lib/auth/roles";
import { db, type Db } from "@/lib/db/client";
import { GENERIC_MESSAGE, NotFoundError, UserError } from "@/lib/errors";
import { clientIp } from "@/lib/http/client-ip";
import { readCapped } from "@/lib/http/body";
import { nulParam } from "@/lib/http/params";
import { withRequestScope } from "@/lib/http/request-scope";
import { log } from "@/lib/log";
import { teamSandbox } from "@/lib/teams/create";
import { ApiAuthError, authenticate, type ApiCaller } from "./tokens";

/** A refusal with its status and, where one is to blame, the parameter. */
export class ApiError extends UserError {
  constructor(
    readonly status: number,
    message: string,
    readonly param: string | null = null,
  ) {
    super(message);
  }
}

/** How an API spells an error: OpenAI's {error: {message, type, param, code}}, Anthropic's {type: "error", error: {type, message}}. */
export type ErrorAnswer = (status: number, message: string, opts?: { param?: string | null; headers?: Record<string, string> }) => Response;

export async function serveApi(request: Request, route: string, errorOf: ErrorAnswer, run: (prisma: Db, caller: ApiCaller) => Promise<Response>): Promise<Response> {
  const prisma = await db();
  let caller: ApiCaller;
  try {
    caller = await authenticate(prisma, request.headers, clientIp(request.headers));
  } catch (err) {
    if (err instanceof ApiAuthError) return errorOf(err.status, err.message, err.retryAfterSeconds ? { headers: { "retry-after": String(err.retryAfterSeconds) } } : {});
    throw err;
  }
  if (request.method !== "GET" && !can.run(caller.role)) {
    return errorOf(403, caller.role === "VIEWER" ? "This token can only read (GET): it cannot upload, launch, cancel or delete." : "This token cannot do that.");
  }
  return withRequestScope({ token: caller.token }, async () => {
    try {
      return await run(prisma, caller);
    } catch (err) {
      if (err instanceof ApiError) return errorOf(err.status, err.message, { param: err.param });
      if (err instanceof NotFoundError) return errorOf(404, err.message);
      if (err instanceof UserError) return errorOf(400, err.message);
      log.error("api.unexpected_error", { route: `${request.method} ${route}`, err });
      return errorOf(500, GENERIC_MESSAGE);
    }
  });
}

/**
 * The segments of an API address's path after `prefix`, decoded, once its query is checked: a
 * segment whose percent-encoding is broken ("%E0%A4%A", "%ZZ") or a NUL in the path or the query
 * ("%00": PostgreSQL cannot take one) is the caller's mistake, refused with a 400 naming it.
 */
export function addressOf(url: URL, prefix: string): string[] {
  const bad = nulParam(url.searchParams);
  if (bad) throw new ApiError(400, bad.message, bad.param);
  return url.pathname
    .slice(prefix.length)
    .split("/")
    .filter(Boolean)
    .map((raw) => {
      let s: string;
      try {
        s = decodeURIComponent(raw);
      } catch {
        throw new ApiError(400, `The address's part ${JSON.stringify(raw.slice(0, 40))} is not valid percent-encoding.`);
      }
      if (s.includes("\u0000")) throw new ApiError(400, `The address's part ${JSON.stringify(s.slice(0, 40))} holds a NUL character (%00), which no id has.`);
      return s;
    });
}

/** A JSON body of at most `max` bytes, parsed: a larger one is refused unread (413, `tooLarge`), one that is not JSON with a 400. */
export async function jsonBody(request: Request, max: number, tooLarge: string): Promise<unknown> {
  const bytes = await readCapped(request, max);
  if (!bytes) throw new ApiError(413, tooLarge);
  try {
    return JSON.parse(new TextDecoder().decode(bytes));
  } catch {
    throw new ApiError(400, "The body is not valid JSON.");
  }
}

/** The first place (a path like "metadata.name") in a JSON body where a key or a string holds a NUL, or null. */
export function nulIn(body: unknown): string | null {
  // Depth first without recursion: a body nested thousands deep must not overflow the stack.
  const stack: [unknown, string][] = [[body, ""]];
  while (stack.length) {
    const [value, at] = stack.pop()!;
    if (typeof value === "string") {
      if (value.includes("\u0000")) return at || "(the body)";
    } else if (typeof value === "object" && value !== null) {
      const entries = Object.entries(value);
      for (let i = entries.length - 1; i >= 0; i--) {
        const [k, v] = entries[i];
        const here = at ? `${at}.${k}` : k;
        if (k.includes("\u0000")) return here;
        stack.push([v, here]);
      }
    }
  }
  return null;
}

/** The metadata key, and the header, that choose a batch's connection (its name or id). */
export const CONNECTION_METADATA_KEY = "batchboard_connection";
export const CONNECTION_HEADER = "batchboard-connection";

/**
 * The connection a batch runs on: the Batchboard-Connection header (or `named`, e.g. the metadata
 * key batchboard_connection), else the token's default, else `fallback` (the team's Sandbox). A
 * token limited to some connections may name only those.
 */
export async function chooseConnection(prisma: Db, caller: ApiCaller, request: Request, opts: { named?: string; fallback?: () => Promise<{ id: string; name: string; kind: string } | null> } = {}) {
  const named = request.headers.get(CONNECTION_HEADER)?.trim() || opts.named?.trim();
  const where = { teamId: caller.team.id };
  const select = { id: true, name: true, kind: true } as const;
  const conn = named
    ? await prisma.providerConnection.findFirst({ where: { ...where, OR: [{ id: named }, { name: named }] }, select })
    : caller.defaultConnectionId
      ? await prisma.providerConnection.findFirst({ where: { ...where, id: caller.defaultConnectionId }, select })
      : await (opts.fallback ?? (() => teamSandbox(prisma, caller.team.id)))();
  if (!conn) {
    throw new ApiError(
      404,
      named ? `No connection named ${JSON.stringify(named)} in this team.` : caller.defaultConnectionId ? "The token's default connection no longer exists; name one with the Batchboard-Connection header." : "No connection to run on: name one with the Batchboard-Connection header.",
      CONNECTION_METADATA_KEY,
    );
  }
  if (caller.allowedConnectionIds.length > 0 && !caller.allowedConnectionIds.includes(conn.id)) {
    throw new ApiError(403, `This token may not launch on the connection "${conn.name}".`, CONNECTION_METADATA_KEY);
  }
  return conn;
}
