"use client";
// Where a file is dropped or picked: the whole area is the file input's label, so a click opens the
// picker and a drop hands the file over. The input is cleared after each pick, so the same file can
// be picked again after a fix. `#file-input` is what the browser tests set files on.
import { useRef, useState } from "react";
import { useTranslations } from "next-intl";
import { cn } from "@/components/ui/cn";

export function DropZone({ onFiles, templateName }: { onFiles: (files: FileList | null) => void; templateName?: string }) {
  const t = useTranslations("upload");
  const [dragging, setDragging] = useState(false);
  const inputRef = useRef<HTMLInputElement>(null);
  const pick = (files: FileList | null) => {
    onFiles(files);
    if (inputRef.current) inputRef.current.value = "";
  };
  return (
    <label
      htmlFor="file-input"
      onDragOver={(e) => {
        e.preventDefault();
        setDragging(true);
      }}
      onDragLeave={() => setDragging(false)}
      onDrop={(e) => {
        e.preventDefault();
        setDragging(false);
        pick(e.dataTransfer.files);
      }}
      className={cn(
        "flex min-h-40 flex-1 cursor-pointer flex-col items-center justify-center rounded-lg border-2 border-dashed px-6 py-8 text-center transition-colors",
        dragging ? "border-brand-500 bg-brand-50" : "border-slate-300 bg-slate-50/60 hover:border-slate-400 hover:bg-slate-50",
      )}
    >
      <UploadIcon />
      <span className="mt-3 text-sm font-medium text-slate-900">
        {t.rich("drop", {
          mono: (chunks) => <span className="font-mono">{chunks}</span>,
          choose: (chunks) => <span className="text-brand-600 underline-offset-2 hover:underline">{chunks}</span>,
        })}
      </span>
      <span className="mt-1 text-xs text-slate-500">
        {t("dropHint")}
      </span>
      {templateName && (
        <span className="mt-2 rounded-full bg-brand-50 px-3 py-1 text-xs font-medium text-brand-700 ring-1 ring-inset ring-brand-200">
          {t("fromTemplate", { name: templateName })}
        </span>
      )}
      <input
        ref={inputRef}
        id="file-input"
        type="file"
        accept=".jsonl,.ndjson,.json,.txt,.csv,.tsv,application/jsonl,application/x-ndjson,text/csv"
        className="sr-only"
        onChange={(e) => pick(e.target.files)}
      />
    </label>
  );
}

function UploadIcon() {
  return (
    <svg aria-hidden viewBox="0 0 24 24" className="h-9 w-9 text-slate-400" fill="none" stroke="currentColor" strokeWidth={1.5}>
      <path strokeLinecap="round" strokeLinejoin="round" d="M12 16V4m0 0-4 4m4-4 4 4M4 16v2a2 2 0 0 0 2 2h12a2 2 0 0 0 2-2v-2" />
    </svg>
  );
}
