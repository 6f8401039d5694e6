// Reads back the log lines a test makes: captureLog() sends lib/log.ts's output to an array of the
// parsed JSON lines (at `level` and above) until restoreLog().
import { Writable } from "node:stream";
import { setLogDestination } from "@/lib/log";

export type LogLine = Record<string, unknown> & { level: string; event: string };

export function captureLog(level?: "debug" | "info" | "warn" | "error"): LogLine[] {
  const lines: LogLine[] = [];
  setLogDestination(
    new Writable({
      write(chunk, _enc, done) {
        for (const l of String(chunk).split("\n").filter(Boolean)) lines.push(JSON.parse(l));
        done();
      },
    }),
    level,
  );
  return lines;
}

/** Log lines go to stdout again. */
export function restoreLog() {
  setLogDestination(undefined);
}
