"use client";
// Long prompts and answers show their first lines with a way to read the rest, so one essay does
// not push the other 49 rows off the screen.
import { useState } from "react";
import { useTranslations } from "next-intl";
import { cn } from "@/components/ui/cn";

const LONG_CHARS = 280;
const LONG_LINES = 4;

export function ClampText({ text, className }: { text: string; className?: string }) {
  const [open, setOpen] = useState(false);
  const t = useTranslations("batches.common");
  const long = text.length > LONG_CHARS || text.split("\n", LONG_LINES + 1).length > LONG_LINES;
  return (
    <div className={className}>
      <p className={cn("whitespace-pre-wrap break-words", long && !open && "line-clamp-4")}>{text}</p>
      {long && (
        <button type="button" onClick={() => setOpen(!open)} className="mt-1 text-xs font-medium text-brand-700 hover:underline" aria-expanded={open}>
          {open ? t("showLess") : t("showAll", { count: text.length })}
        </button>
      )}
    </div>
  );
}
