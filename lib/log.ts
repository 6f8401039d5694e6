// Structured logs: one line of JSON per event on stdout (pino), at LOG_LEVEL and above.
//   log.info("batch.launched", { batchId, connectionId, requests })
//   log.error("sync.failed", { batchId, err })
// The first argument names the event (dotted, stable: something to grep and alert on); the fields
// are data, never prose with values inside. `err` is logged as `error`, reduced to name, message, code, status and,
// for errors of our own code, the stack. Every string of a line is passed through redact() on the
// way out, so a key a provider echoed cannot reach the log even if a caller forgot.
import pino, { type DestinationStream, type Logger } from "pino";
import { settings } from "@/lib/env";
import { redact, redactDeep } from "@/lib/redact";

type Fields = Record<string, unknown> & { err?: unknown };
type Level = "debug" | "info" | "warn" | "error";

let logger: Logger | undefined;
let destination: DestinationStream | undefined;

/**
 * LOG_LEVEL, or "info" while the settings do not parse: the line that says so (server.start_failed,
 * lib/server/start.ts) must still be written, and the process must still get to exit.
 */
function level(): Level {
  try {
    return settings().LOG_LEVEL;
  } catch {
    return "info";
  }
}

function instance(): Logger {
  logger ??= pino(
    {
      level: level(),
      base: { pid: process.pid },
      messageKey: "event",
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: {
        level: (label) => ({ level: label }),
        log: (obj) => redactDeep(obj),
      },
    },
    destination ?? pino.destination({ dest: 1, sync: true }),
  );
  return logger;
}

/** What a log line keeps of an error. */
export function errorFields(err: unknown): Record<string, unknown> {
  if (!(err instanceof Error)) return { message: redact(String(err)) };
  const e = err as Error & { code?: unknown; status?: unknown; cause?: unknown };
  const out: Record<string, unknown> = { name: e.name, message: redact(e.message) };
  const code = codeIn(e);
  if (code !== undefined) out.code = code;
  if (typeof e.status === "number") out.status = e.status;
  // A provider's answer (a status) or a system error (a code: ECONNREFUSED under the SDK's
  // "Connection error.") is explained by its message and code; our own errors by where they were thrown.
  if (typeof e.status !== "number" && code === undefined && e.stack) out.stack = redact(e.stack.split("\n").slice(0, 8).join("\n"));
  if (e.cause instanceof Error) out.cause = { name: e.cause.name, message: redact(e.cause.message) };
  return out;
}

/** The first error code along the cause chain (ECONNREFUSED under "fetch failed" under "Connection error."). */
function codeIn(err: unknown): string | number | undefined {
  for (let e = err as { code?: unknown; cause?: unknown } | undefined, i = 0; e && i < 6; e = e.cause as typeof e, i++) {
    if (typeof e.code === "string" || typeof e.code === "number") return e.code;
  }
  return undefined;
}

function write(level: Level, event: string, fields?: Fields) {
  const l = instance();
  if (!l.isLevelEnabled(level)) return;
  if (!fields) return l[level](event);
  const { err, ...rest } = fields;
  l[level](err === undefined ? rest : { ...rest, error: errorFields(err) }, event);
}

export const log = {
  debug: (event: string, fields?: Fields) => write("debug", event, fields),
  info: (event: string, fields?: Fields) => write("info", event, fields),
  warn: (event: string, fields?: Fields) => write("warn", event, fields),
  error: (event: string, fields?: Fields) => write("error", event, fields),
};

/** Tests: send the log lines to a stream of their own (and read them back); undefined restores stdout. */
export function setLogDestination(stream: DestinationStream | undefined, level?: Level) {
  destination = stream;
  logger = undefined;
  if (level) instance().level = level;
}
