// The text encodings a CSV can be read as (the server's list: lib/csv/decode.ts), named as the
// mapping step offers them (`key`: the name's message in csvMapping, for those that need words), and
// the delimiters it names (keys of csvMapping.delimiters).
import type { CsvEncoding } from "@/lib/csv/decode";

export const ENCODINGS: { value: CsvEncoding; label: string; key?: "gbk" | "utf16be" }[] = [
  { value: "utf-8", label: "UTF-8" },
  { value: "gb18030", label: "GB18030 / GBK", key: "gbk" },
  { value: "utf-16le", label: "UTF-16" },
  { value: "utf-16be", label: "UTF-16 big-endian", key: "utf16be" },
];

export const DELIMITERS: Record<string, "comma" | "semicolon" | "tab"> = { ",": "comma", ";": "semicolon", "\t": "tab" };

/** An encoding as the step names it (`words` gives the translated name of those that have one); one the list lacks as it is written. */
export function encodingName(value: string, words: (key: "gbk" | "utf16be") => string) {
  const e = ENCODINGS.find((x) => x.value === value);
  return e ? (e.key ? words(e.key) : e.label) : value;
}
