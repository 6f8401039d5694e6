// Fault injection, usable with any imitation, is a path segment before /v1:
//   /api/sandbox/<mode>/faults=429@3,500@5,omit-nulls,run=<tag>/v1
// 429@N answers the N-th call with 429 and Retry-After (retry-after=S seconds, default 1); 500@N (or
// any 5xx) answers the N-th call with that status; omit-nulls drops every null field of the JSON
// answers. Calls are counted per team, mode and fault segment in this process (run=<tag> makes a
// fresh count).
import "server-only";

export interface Faults {
  /** 1-based call numbers answered with 429, and the Retry-After seconds. */
  rateLimitAt: number[];
  retryAfter: number;
  /** Call number -> 5xx status. */
  serverErrorAt: Map<number, number>;
  omitNulls: boolean;
  /** The counter's key. */
  key: string;
}

/** Reads "faults=429@3,500@5,omit-nulls,retry-after=2,run=x". */
export function parseFaults(segment: string): Faults {
  const f: Faults = { rateLimitAt: [], retryAfter: 1, serverErrorAt: new Map(), omitNulls: false, key: segment };
  for (const part of segment.replace(/^faults=/, "").split(",")) {
    const m = /^(\d{3})((?:@\d+)+)$/.exec(part);
    if (m) {
      const status = Number(m[1]);
      const at = m[2].split("@").filter(Boolean).map(Number);
      if (status === 429) f.rateLimitAt.push(...at);
      else if (status >= 500 && status <= 599) for (const n of at) f.serverErrorAt.set(n, status);
    } else if (part === "omit-nulls") f.omitNulls = true;
    else if (part.startsWith("retry-after=")) f.retryAfter = Math.max(0, Number(part.slice(12)) || 0);
  }
  return f;
}

const callCounts = new Map<string, number>();

/** Counts this call; answers the injected fault for it, if there is one. */
export function injectedFault(f: Faults, teamId: string, mode: string): Response | undefined {
  const key = `${teamId}|${mode}|${f.key}`;
  const n = (callCounts.get(key) ?? 0) + 1;
  callCounts.set(key, n);
  if (f.rateLimitAt.includes(n)) {
    return Response.json(
      { error: { message: "Rate limit reached for requests (injected by the sandbox).", type: "requests", param: null, code: "rate_limit_exceeded" } },
      { status: 429, headers: { "retry-after": String(f.retryAfter) } },
    );
  }
  const status = f.serverErrorAt.get(n);
  if (status) {
    return Response.json(
      { error: { message: `The server had an error while processing your request (injected ${status}).`, type: "server_error", param: null, code: null } },
      { status },
    );
  }
  return undefined;
}

/** Drops every null field, at any depth, of a JSON value. */
export function withoutNulls(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(withoutNulls);
  if (v && typeof v === "object") {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) if (x !== null && x !== undefined) out[k] = withoutNulls(x);
    return out;
  }
  return v;
}
