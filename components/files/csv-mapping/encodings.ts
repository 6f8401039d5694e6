// The text encodings a CSV can be read as (the server's list: lib/csv/decode.ts), named as the
// mapping step offers them, and the delimiters it names.
import type { CsvEncoding } from "@/lib/csv/decode";

export const ENCODINGS: { value: CsvEncoding; label: string }[] = [
  { value: "utf-8", label: "UTF-8" },
  { value: "gb18030", label: "GB18030 / GBK (Excel in China)" },
  { value: "utf-16le", label: "UTF-16" },
  { value: "utf-16be", label: "UTF-16 big-endian" },
];

export const DELIMITERS: Record<string, string> = { ",": "comma", ";": "semicolon", "\t": "tab" };

/** "GB18030 / GBK (Excel in China)" for "gb18030"; an encoding the list lacks as it is written. */
export const encodingName = (value: string) => ENCODINGS.find((e) => e.value === value)?.label ?? value;
