// What the first bytes of an upload say it is, before it is read as text: UTF-16 (a byte order mark,
// or ASCII text with a NUL every other byte), UTF-32, a known binary format (an image, a PDF, a ZIP
// such as an Excel workbook, a compressed file...) by its magic number, or else binary when control
// bytes are common or NULs come in runs. A text file with a stray NUL on one line is still text: that
// line gets its own problem. Safe for the browser; no I/O.

/** Bytes looked at: a format shows itself in its first few KB. */
export const SNIFF_HEAD_BYTES = 8 * 1024;

export type Sniffed =
  | { kind: "text" }
  | { kind: "utf-16"; endian: "le" | "be"; bom: boolean }
  | { kind: "utf-32" }
  | { kind: "binary"; what: string };

const ascii = (s: string) => [...s].map((c) => c.charCodeAt(0));

/**
 * Magic numbers at offset 0 (`at` otherwise), and what to call a file that starts so. A `weak` one
 * is plain letters a text could start with: it counts only when control bytes follow.
 */
const MAGIC: { bytes: number[]; at?: number; weak?: true; what: string }[] = [
  { bytes: [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a], what: "a PNG image" },
  { bytes: [0xff, 0xd8, 0xff], what: "a JPEG image" },
  { bytes: ascii("GIF87a"), what: "a GIF image" },
  { bytes: ascii("GIF89a"), what: "a GIF image" },
  { bytes: ascii("WEBP"), at: 8, what: "a WebP image" }, // after "RIFF" and a size
  { bytes: ascii("%PDF-"), what: "a PDF document" },
  { bytes: [0x50, 0x4b, 0x03, 0x04], what: "a ZIP archive" },
  { bytes: [0x50, 0x4b, 0x05, 0x06], what: "a ZIP archive" },
  { bytes: [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1], what: "an old Office file (.xls or .doc)" },
  { bytes: [0x1f, 0x8b], what: "a gzip-compressed file" },
  { bytes: ascii("BZh"), weak: true, what: "a bzip2-compressed file" },
  { bytes: [0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00], what: "an xz-compressed file" },
  { bytes: [0x28, 0xb5, 0x2f, 0xfd], what: "a zstd-compressed file" },
  { bytes: [0x37, 0x7a, 0xbc, 0xaf, 0x27, 0x1c], what: "a 7-Zip archive" },
  { bytes: ascii("Rar!\x1a\x07"), what: "a RAR archive" },
  { bytes: ascii("SQLite format 3\0"), what: "an SQLite database" },
  { bytes: ascii("PAR1"), weak: true, what: "a Parquet file" },
  { bytes: [0x7f, 0x45, 0x4c, 0x46], what: "a program (ELF executable)" },
];

function startsWith(head: Uint8Array, bytes: number[], at = 0) {
  if (head.length < at + bytes.length) return false;
  for (let i = 0; i < bytes.length; i++) if (head[at + i] !== bytes[i]) return false;
  return true;
}

/** A ZIP's first entry names tell an Office file from any archive. */
function zipKind(head: Uint8Array): string {
  let names = "";
  for (const b of head.subarray(0, SNIFF_HEAD_BYTES)) names += b >= 0x20 && b < 0x7f ? String.fromCharCode(b) : " ";
  if (names.includes("xl/")) return "an Excel workbook (.xlsx)";
  if (names.includes("word/")) return "a Word document (.docx)";
  if (names.includes("ppt/")) return "a PowerPoint file (.pptx)";
  return "a ZIP archive";
}

/** Bytes that text files do not hold: C0 controls other than tab, line breaks, form feed and escape. */
function isBinaryControl(b: number) {
  return b < 0x20 && b !== 0x09 && b !== 0x0a && b !== 0x0c && b !== 0x0d && b !== 0x1b;
}

export function sniffBytes(head: Uint8Array): Sniffed {
  if (startsWith(head, [0xff, 0xfe, 0x00, 0x00]) || startsWith(head, [0x00, 0x00, 0xfe, 0xff])) return { kind: "utf-32" };
  if (startsWith(head, [0xff, 0xfe])) return { kind: "utf-16", endian: "le", bom: true };
  if (startsWith(head, [0xfe, 0xff])) return { kind: "utf-16", endian: "be", bom: true };
  if (startsWith(head, [0xef, 0xbb, 0xbf])) return { kind: "text" };
  for (const m of MAGIC) {
    if (!startsWith(head, m.bytes, m.at) || (m.at === 8 && !startsWith(head, ascii("RIFF"))) || (m.weak && !hasBinaryBytes(head))) continue;
    return { kind: "binary", what: m.what === "a ZIP archive" ? zipKind(head) : m.what };
  }
  const n = Math.min(head.length, SNIFF_HEAD_BYTES) & ~1;
  if (n === 0) return { kind: "text" };
  // UTF-16 without a byte order mark: ASCII characters (JSON's braces and quotes at least) have a NUL
  // high byte, so NULs fill the odd (little-endian) or even (big-endian) places, and only those.
  let evenNul = 0;
  let oddNul = 0;
  let control = 0;
  let nulRun = 0;
  let longestNulRun = 0;
  for (let i = 0; i < n; i++) {
    const b = head[i];
    if (b === 0) {
      if (i & 1) oddNul++;
      else evenNul++;
      nulRun++;
      if (nulRun > longestNulRun) longestNulRun = nulRun;
    } else nulRun = 0;
    if (isBinaryControl(b)) control++;
  }
  const half = n / 2;
  if (oddNul >= half * 0.25 && evenNul <= half * 0.02) return { kind: "utf-16", endian: "le", bom: false };
  if (evenNul >= half * 0.25 && oddNul <= half * 0.02) return { kind: "utf-16", endian: "be", bom: false };
  // A stray NUL on one line is that line's problem; a run of NULs, or control bytes everywhere, is binary.
  if (longestNulRun >= 4 || control > n * 0.1) return { kind: "binary", what: "a binary file" };
  return { kind: "text" };
}

function hasBinaryBytes(head: Uint8Array) {
  const n = Math.min(head.length, SNIFF_HEAD_BYTES);
  for (let i = 0; i < n; i++) if (isBinaryControl(head[i])) return true;
  return false;
}

/**
 * The one problem of an upload that is not text in an encoding we read, or null. `expected` is what
 * the file should have been ("a JSONL file", "a CSV").
 */
export function notTextMessage(s: Sniffed, expected: string): string | null {
  if (s.kind === "text") return null;
  if (s.kind === "utf-16") {
    return `This file is UTF-16${s.endian === "be" ? " (big-endian)" : ""}${s.bom ? "" : " without a byte order mark"}, not UTF-8: save it as UTF-8 and upload it again.`;
  }
  if (s.kind === "utf-32") return "This file is UTF-32, not UTF-8: save it as UTF-8 and upload it again.";
  const fix =
    s.what === "an Excel workbook (.xlsx)" || s.what === "an old Office file (.xls or .doc)"
      ? " In Excel, use Save As and choose CSV UTF-8, then upload the .csv."
      : s.what.endsWith("compressed file") || s.what.endsWith("archive")
        ? " Extract the file from it and upload that."
        : "";
  return `This is ${s.what}, not ${expected}.${fix}`;
}
