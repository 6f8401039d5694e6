// The input a launch sends, built from the stored Request rows in line order, a page at a time,
// honouring the write stream's backpressure: memory stays flat whatever the file size. The adapter
// frames it (a JSONL file; or Anthropic's {"requests":[...]} body) and encodes each request
// (converting it where its API differs); each line is checked against the profile on the way
// (lineChecker: size, custom_id, one thinking mode where one model per batch). Once a line is wrong
// nothing more is written, and every problem is reported with its line.
import fs from "node:fs";
import { once } from "node:events";
import type { Db } from "@/lib/db/client";
import type { Prisma } from "@/lib/generated/prisma/client";
import { UserError } from "@/lib/errors";
import type { ProviderAdapter } from "@/lib/providers/adapter";
import { lineChecker, mb, type ProfileProblem } from "@/lib/providers/checks";
import type { DryRun, ProviderProfile } from "@/lib/providers/profile";
import { problemsError } from "./checks";

/** Input file lines fromLine..toLine, inclusive. */
export interface LineRange {
  fromLine: number;
  toLine: number;
}

const PAGE = 1000;

/**
 * Writes the input to `dest`. With `dry` (a dry run), only the first requests that fit its line and
 * byte limits, each body's model rewritten. With `range` (a part of a job), only the lines
 * fromLine..toLine. Returns the bytes and requests written.
 */
export async function writeInput(
  prisma: Db,
  o: { fileId: string; endpoint: string; dest: string; profile: ProviderProfile; adapter: ProviderAdapter; dry?: DryRun; range?: LineRange },
): Promise<{ bytes: number; lines: number }> {
  const { frame } = o.adapter;
  const out = fs.createWriteStream(o.dest);
  const write = async (s: string) => {
    if (s && !out.write(s)) await once(out, "drain");
  };
  const check = lineChecker(o.profile);
  const closeBytes = Buffer.byteLength(frame.close);
  let bytes = Buffer.byteLength(frame.open);
  let lines = 0;
  let full = false;
  const problems: ProfileProblem[] = [];
  let problemCount = 0;
  let unsendable = false;
  try {
    await write(frame.open);
    let cursor: { line: number; id: bigint } | null = null;
    for (;;) {
      const range = o.range;
      const page: { id: bigint; line: number; customId: string; body: Prisma.JsonValue }[] = await prisma.request.findMany({
        where: {
          fileId: o.fileId,
          ...(range ? { AND: [{ line: { gte: range.fromLine } }, { line: { lte: range.toLine } }] } : {}),
          ...(cursor ? { OR: [{ line: { gt: cursor.line } }, { line: cursor.line, id: { gt: cursor.id } }] } : {}),
        },
        orderBy: [{ line: "asc" }, { id: "asc" }],
        take: PAGE,
        select: { id: true, line: true, customId: true, body: true },
      });
      for (const r of page) {
        const body = o.dry ? { ...(r.body as Record<string, unknown>), model: o.dry.model } : r.body;
        const encoded = o.adapter.encodeRequest({ line: r.line, customId: r.customId, endpoint: o.endpoint, body });
        const found: ProfileProblem[] = encoded.problems.map((m) => ({ line: r.line, message: `Line ${r.line}: ${m}.` }));
        if (found.length) unsendable = true;
        let piece = "";
        if (encoded.text !== undefined) {
          piece = (lines > 0 ? frame.separator : "") + encoded.text;
          const pieceBytes = Buffer.byteLength(piece);
          if (o.dry && (lines >= o.dry.maxRequests || bytes + pieceBytes + closeBytes > o.dry.maxFileBytes)) {
            if (lines === 0) throw new UserError(`Line ${r.line} alone is ${mb(pieceBytes + closeBytes)}, over the dry run's ${mb(o.dry.maxFileBytes)} limit: nothing to test with.`);
            full = true;
            break;
          }
          bytes += pieceBytes;
          lines++;
          const own = check({ line: r.line, customId: r.customId, bytes: Buffer.byteLength(encoded.text), body: r.body });
          // Where the adapter refused the custom_id in its own words, the profile's would say it twice.
          found.push(...(encoded.customIdRefused ? own.filter((p) => !/custom_id/.test(p.message)) : own));
        }
        problemCount += found.length;
        if (problems.length < 100) problems.push(...found);
        // Nothing is sent once a line is wrong: stop writing, keep checking.
        if (problemCount) continue;
        await write(piece);
      }
      if (full || page.length < PAGE) break;
      const last = page[page.length - 1];
      cursor = { line: last.line, id: last.id };
    }
    await write(frame.close);
    bytes += closeBytes;
    out.end();
    await once(out, "finish");
    if (problemCount) throw problemsError(problems, o.profile.label, unsendable ? "cannot be sent" : "break its limits");
    return { bytes, lines };
  } catch (err) {
    out.destroy();
    throw err;
  }
}
