"use client";
// The top of the mapping step: the file, how its start was read (columns, delimiter, encoding, byte
// order mark, how many rows the preview shows), the encoding to read it as instead, and the way
// back; under it, the problems the first rows already have.
import { Button } from "@/components/ui/button";
import { Select } from "@/components/ui/field";
import { formatBytes, formatCount, plural } from "@/lib/files/format";
import type { HeadPreview } from "@/lib/csv/types";
import { DELIMITERS, ENCODINGS, encodingName } from "./encodings";

export function FileReading({
  file,
  preview,
  encoding,
  onEncoding,
  onCancel,
}: {
  file: File;
  preview: HeadPreview;
  /** "" while the encoding is the one found. */
  encoding: string;
  onEncoding: (encoding: string) => void;
  onCancel: () => void;
}) {
  return (
    <>
      <div className="flex flex-wrap items-center justify-between gap-3 border-b border-slate-100 bg-slate-50/70 px-5 py-3">
        <div className="min-w-0 text-sm">
          <p className="truncate font-medium text-slate-900" title={file.name}>
            {file.name} <span className="font-normal text-slate-500">· {formatBytes(file.size)}</span>
          </p>
          <p className="text-xs text-slate-600">
            {plural(preview.columns.length, "column")}, {DELIMITERS[preview.delimiter] ?? preview.delimiter}-separated, read as {encodingName(preview.encoding)}
            {preview.bom ? " (with a byte order mark)" : ""}
            {encoding ? " as you chose" : ""}. The first {plural(preview.rows.length, "row")} are shown{preview.partial ? "" : ": that is all of them"}.
          </p>
        </div>
        <div className="flex items-center gap-2">
          <label htmlFor="csv-encoding" className="text-xs font-medium text-slate-600">
            Encoding
          </label>
          <div className="w-60">
            <Select name="csv-encoding" value={encoding} onChange={(e) => onEncoding(e.target.value)} className="py-1.5 text-xs">
              <option value="">Detect ({encodingName(preview.encoding).split(" ")[0]})</option>
              {ENCODINGS.map((e) => (
                <option key={e.value} value={e.value}>
                  {e.label}
                </option>
              ))}
            </Select>
          </div>
          <Button variant="ghost" size="sm" onClick={onCancel} className="whitespace-nowrap">
            Choose another file
          </Button>
        </div>
      </div>

      {preview.problems.length > 0 && (
        <div role="alert" className="border-b border-red-100 bg-red-50 px-5 py-3 text-sm text-red-800">
          <p className="font-medium">The first rows already have {plural(preview.problemCount, "problem")}:</p>
          <ul className="mt-1 list-disc space-y-0.5 pl-5">
            {preview.problems.slice(0, 5).map((p, i) => (
              <li key={i}>
                Row {formatCount(p.line)}
                {p.field ? `, column “${p.field}”` : ""}: {p.message}
              </li>
            ))}
          </ul>
        </div>
      )}
    </>
  );
}
