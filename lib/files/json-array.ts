// A JSON array uploaded where JSON Lines were expected (the picker takes .json): recognised from its
// first bytes (one clear problem instead of a cryptic one per line), and converted on request into
// JSONL, one element a line. The conversion streams: bytes are scanned once, whitespace outside
// strings is dropped (raw line breaks only ever stand outside strings in JSON), and each top-level
// element is written as it ends, so memory holds one element at most (bounded by the line limit).
// Nothing is parsed or re-serialised, so numbers and strings stay byte for byte what they were; a
// malformed element becomes that line's problem when the JSONL is checked.
import { createReadStream, createWriteStream } from "node:fs";
import { once } from "node:events";
import { UserError } from "@/lib/errors";
import { formatBytes } from "./format";

export const JSON_ARRAY_CODE = "json-array";

const BOM = [0xef, 0xbb, 0xbf];
const isSpace = (b: number) => b === 0x20 || b === 0x09 || b === 0x0a || b === 0x0d;

/**
 * The file's first bytes (after a UTF-8 byte order mark and blanks) open a JSON array that is the
 * whole file: its first line is not complete JSON (a pretty-printed array), or is the only line. A
 * JSONL whose first line happens to be an array is JSONL with a wrong line.
 */
export function looksLikeJsonArray(head: Uint8Array): boolean {
  let i = head[0] === BOM[0] && head[1] === BOM[1] && head[2] === BOM[2] ? 3 : 0;
  while (i < head.length && isSpace(head[i])) i++;
  if (head[i] !== 0x5b) return false; // [
  const text = Buffer.from(head.subarray(i)).toString("utf8");
  const nl = text.indexOf("\n");
  if (nl < 0) return true;
  try {
    JSON.parse(text.slice(0, nl));
  } catch {
    return true;
  }
  return text.slice(nl).trim() === "";
}

export const jsonArrayMessage = "This is a JSON array, not JSON Lines: a batch file holds one request per line, not a list of them. Convert it to JSONL (each element of the array becomes one line) and it is checked again.";

/**
 * Writes the elements of the JSON array in `src` to `dest`, one a line. Throws a UserError naming
 * the element when the array is cut short, an element is over `maxElementBytes`, or something other
 * than blanks follows the closing bracket. Returns how many elements it wrote.
 */
export async function convertJsonArray(src: string, dest: string, opts: { maxElementBytes: number; signal?: AbortSignal }): Promise<number> {
  const out = createWriteStream(dest);
  const write = async (buf: Buffer) => {
    if (!out.write(buf)) await once(out, "drain");
  };
  let state: "start" | "before" | "inside" | "after" | "end" = "start";
  let depth = 0;
  let inString = false;
  let escaped = false;
  let element: Buffer[] = [];
  let elementBytes = 0;
  let count = 0;
  let offset = 0;
  const NL = Buffer.from("\n");

  const finish = async () => {
    count++;
    await write(Buffer.concat([...element, NL]));
    element = [];
    elementBytes = 0;
  };

  try {
    for await (const chunk of createReadStream(src, { signal: opts.signal })) {
      const buf = chunk as Buffer;
      let i = 0;
      if (offset === 0 && buf[0] === BOM[0] && buf[1] === BOM[1] && buf[2] === BOM[2]) i = 3;
      offset += buf.length;
      // Kept bytes of the current element are copied in runs, not byte by byte.
      let runStart = -1;
      const endRun = (at: number) => {
        if (runStart >= 0 && at > runStart) {
          element.push(Buffer.from(buf.subarray(runStart, at)));
          elementBytes += at - runStart;
          if (elementBytes > opts.maxElementBytes) {
            throw new UserError(`Element ${count + 1} of the JSON array is over the ${formatBytes(opts.maxElementBytes)} limit for one request.`);
          }
        }
        runStart = -1;
      };
      for (; i < buf.length; i++) {
        const b = buf[i];
        if (state === "inside") {
          if (inString) {
            // A string may go on from the previous chunk: its bytes start a run here.
            if (runStart < 0) runStart = i;
            if (escaped) escaped = false;
            else if (b === 0x5c) escaped = true;
            else if (b === 0x22) inString = false;
            continue;
          }
          if (isSpace(b)) {
            endRun(i);
            continue;
          }
          if (depth === 0 && (b === 0x2c || b === 0x5d)) {
            endRun(i);
            await finish();
            state = b === 0x2c ? "before" : "end";
            continue;
          }
          if (runStart < 0) runStart = i;
          if (b === 0x22) inString = true;
          else if (b === 0x7b || b === 0x5b) depth++;
          else if ((b === 0x7d || b === 0x5d) && --depth < 0) throw new UserError(`Element ${count + 1} of the JSON array is not valid JSON: it closes a bracket it never opened.`);
          continue;
        }
        if (isSpace(b)) continue;
        if (state === "start") {
          if (b !== 0x5b) throw new UserError("This file does not start with [: it is not a JSON array.");
          state = "after";
        } else if ((state === "before" && b === 0x5d) || ((state === "before" || state === "after") && b === 0x2c)) {
          throw new UserError(`Element ${count + 1} of the JSON array is empty (two commas in a row, or a comma before the closing bracket).`);
        } else if (state === "after" && b === 0x5d) {
          state = "end"; // []
        } else if (state === "before" || state === "after") {
          state = "inside";
          runStart = i;
          if (b === 0x22) inString = true;
          else if (b === 0x7b || b === 0x5b) depth++;
        } else {
          throw new UserError("Something follows the closing ] of the JSON array: the file holds one array and nothing after it.");
        }
      }
      endRun(buf.length);
    }
    if (state !== "end") throw new UserError(count ? `The JSON array is cut short: it has no closing ] after element ${count}.` : "The JSON array is cut short: it has no closing ].");
    if (count === 0) throw new UserError("The JSON array is empty: it has no requests.");
  } finally {
    out.end();
    await once(out, "close").catch(() => {});
  }
  return count;
}
