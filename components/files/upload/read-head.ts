// The browser's side of a CSV's preview: whether a picked file is a CSV, and its start, sent to the
// server (previewCsvAction) to read the encoding, delimiter, header and first rows. The start is cut
// after its last whole line, so the server never reads half a row; in UTF-16 (a byte order mark
// says so) a whole line ends with a two-byte "\n".
import { PREVIEW_HEAD_BYTES } from "@/lib/csv/types";

export const isCsv = (f: File) => /\.(csv|tsv)$/i.test(f.name) || f.type === "text/csv";

/** The start of a file for its preview, cut after its last whole line; the whole file when it is short. */
export async function readHead(file: Blob, maxBytes = PREVIEW_HEAD_BYTES): Promise<{ head: Blob; truncated: boolean }> {
  if (file.size <= maxBytes) return { head: file, truncated: false };
  const b = new Uint8Array(await file.slice(0, maxBytes).arrayBuffer());
  let end = -1;
  if ((b[0] === 0xff && b[1] === 0xfe) || (b[0] === 0xfe && b[1] === 0xff)) {
    const le = b[0] === 0xff;
    for (let i = b.length - 2 - (b.length % 2); i >= 2; i -= 2) {
      if (le ? b[i] === 0x0a && b[i + 1] === 0 : b[i] === 0 && b[i + 1] === 0x0a) {
        end = i + 2;
        break;
      }
    }
  } else {
    const nl = b.lastIndexOf(0x0a);
    if (nl >= 0) end = nl + 1;
  }
  return { head: new Blob([end > 0 ? b.subarray(0, end) : b]), truncated: true };
}
