// A file's state as a badge: whether it can be launched, and if not why; and whose limits it was
// checked against. No hooks but useTranslations: server pages and the upload panel both render them.
import { useTranslations } from "next-intl";
import { cn } from "@/components/ui/cn";

const tones = {
  valid: "bg-emerald-50 text-emerald-700 ring-emerald-200",
  invalid: "bg-red-50 text-red-700 ring-red-200",
  uploading: "bg-sky-50 text-sky-700 ring-sky-200",
  failed: "bg-slate-100 text-slate-600 ring-slate-200",
} as const;

export function FileStatusBadge({ status, problemCount }: { status: string; problemCount: number }) {
  const t = useTranslations("files.status");
  const tone = tones[status as keyof typeof tones] ?? tones.failed;
  const label = status === "valid" ? t("valid") : status === "invalid" ? t("invalid", { count: problemCount }) : status === "uploading" ? t("uploading") : t("failed");
  return (
    <span className={cn("inline-flex items-center gap-1.5 whitespace-nowrap rounded-full px-2 py-0.5 text-xs font-medium ring-1 ring-inset", tone)}>
      <span
        aria-hidden
        className={cn(
          "h-1.5 w-1.5 rounded-full",
          status === "valid" ? "bg-emerald-500" : status === "invalid" ? "bg-red-500" : status === "uploading" ? "animate-pulse bg-sky-500" : "bg-slate-400",
        )}
      />
      {label}
    </span>
  );
}

/** Whose limits a file was checked against: a connection's, or any provider's (the loosest). */
export function CheckedFor({ checkedFor, className }: { checkedFor: string | null | undefined; className?: string }) {
  const t = useTranslations("files");
  const text = checkedFor ? t("checkedFor", { who: checkedFor }) : t("checkedForAny");
  return (
    <span className={className} title={text}>
      {text}
    </span>
  );
}
