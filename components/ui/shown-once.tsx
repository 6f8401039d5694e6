"use client";
// A secret shown once (an invite link, an API token): a read-only field to copy it from, a Copy
// button, and what it is for underneath.
import { useState } from "react";
import { useTranslations } from "next-intl";
import { Button } from "./button";
import { inputClass } from "./field";
import { cn } from "./cn";

export function ShownOnce({ id, label, title, value, children }: { id: string; label: string; title: React.ReactNode; value: string; children?: React.ReactNode }) {
  const t = useTranslations("ui");
  const [copied, setCopied] = useState(false);
  return (
    <div className="rounded-md bg-emerald-50 p-4 ring-1 ring-inset ring-emerald-200" role="status">
      <p className="text-sm font-medium text-emerald-900">{title}</p>
      <div className="mt-3 flex gap-2">
        <label htmlFor={id} className="sr-only">
          {label}
        </label>
        <input id={id} readOnly value={value} onFocus={(e) => e.currentTarget.select()} className={cn(inputClass, "font-mono text-xs")} />
        <Button
          variant="secondary"
          onClick={async () => {
            await navigator.clipboard.writeText(value);
            setCopied(true);
          }}
        >
          {copied ? t("copied") : t("copy")}
        </Button>
      </div>
      {children && <p className="mt-2 text-xs text-emerald-800">{children}</p>}
    </div>
  );
}
