"use client";
// A long answer shows its first lines with a way to read the rest, so that one essay does not push
// the other rows off the screen. Unlike ClampText it holds marked-up children (a word diff).
import { useState } from "react";
import { useTranslations } from "next-intl";
import { cn } from "@/components/ui/cn";

export function ClampBox({ long, chars, children, className }: { long: boolean; chars: number; children: React.ReactNode; className?: string }) {
  const t = useTranslations("compare.table");
  const [open, setOpen] = useState(false);
  return (
    <div className={className}>
      <div className={cn("whitespace-pre-wrap break-words", long && !open && "line-clamp-6")}>{children}</div>
      {long && (
        <button type="button" onClick={() => setOpen(!open)} className="mt-1 text-xs font-medium text-brand-700 hover:underline" aria-expanded={open}>
          {open ? t("showLess") : t("showAll", { chars })}
        </button>
      )}
    </div>
  );
}
