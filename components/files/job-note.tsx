// The note of a valid file over one batch's limits of its target: it will be launched as a job of
// parts (lib/batches/split.ts), each batch within them. Shown with the upload's outcome and on the
// file's page, apart from the warnings (requests likely to fail), which it is not.
import { useTranslations } from "next-intl";
import type { Problem } from "@/lib/files/types";

export function JobNote({ notes, className = "" }: { notes: Problem[]; className?: string }) {
  const t = useTranslations("upload");
  if (notes.length === 0) return null;
  return (
    <div role="note" className={`rounded-md bg-sky-50 px-4 py-3 text-sm text-sky-900 ring-1 ring-sky-200 ${className}`}>
      <p className="font-semibold">{t("jobNote")}</p>
      <ul className="mt-1 list-disc space-y-0.5 pl-5">
        {notes.map((n) => (
          <li key={`${n.line}-${n.message}`}>{t("jobNoteLine", { line: n.line, message: n.message })}</li>
        ))}
      </ul>
    </div>
  );
}
