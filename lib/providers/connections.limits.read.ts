// A connection's stored limits as the server reads them: parseStoredLimits (connections.limits.ts,
// shared with the browser's launch form) with a fallback logged. Apart from the shared module so that
// the browser's copy of it carries no server logger.
import "server-only";
import { log } from "@/lib/log";
import { parseStoredLimits, type ConnectionLimits } from "./connections.limits";

/** parseStoredLimits, logging a fallback (never the value itself: it is the team's data, not ours to spread). */
export function readConnectionLimits(c: { id: string; kind: string; limits: unknown }): ConnectionLimits | null {
  const r = parseStoredLimits(c.kind, c.limits);
  if (r.error) log.warn("connection.limits_ignored", { connectionId: c.id, kind: c.kind, why: r.error });
  return r.limits;
}
