"use server";
// The upload page's preview of a CSV (see preview.ts). Members and above: it is a step of an upload.
import type { ActionResult } from "@/lib/actions";
import { requireTeam } from "@/lib/auth/context";
import { isNextControlFlow } from "@/lib/actions";
import { toUserMessage, UserError } from "@/lib/errors";
import { localizeResult } from "@/lib/i18n/server-messages.request";
import type { CsvEncoding } from "./decode";
import { PREVIEW_HEAD_BYTES, previewHead, type HeadPreview } from "./preview";

const ENCODINGS: CsvEncoding[] = ["utf-8", "gb18030", "utf-16le", "utf-16be"];

export async function previewCsvAction(form: FormData): Promise<ActionResult<HeadPreview>> {
  try {
    await requireTeam("MEMBER");
    const head = form.get("head");
    if (!(head instanceof Blob)) throw new UserError("Send the start of the file to preview it.");
    if (head.size > PREVIEW_HEAD_BYTES) throw new UserError(`Send at most ${PREVIEW_HEAD_BYTES / 1024} KB of the file to preview it.`);
    const enc = String(form.get("encoding") ?? "");
    if (enc && !ENCODINGS.includes(enc as CsvEncoding)) throw new UserError(`Unknown encoding "${enc}".`);
    const data = await previewHead(new Uint8Array(await head.arrayBuffer()), {
      encoding: (enc || undefined) as CsvEncoding | undefined,
      truncated: form.get("truncated") === "1",
    });
    return { ok: true, data };
  } catch (err) {
    if (isNextControlFlow(err)) throw err;
    return localizeResult({ ok: false, message: toUserMessage(err) });
  }
}
