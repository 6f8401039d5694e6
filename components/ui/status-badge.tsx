import { useTranslations } from "next-intl";
import { cn } from "./cn";

const tones: Record<string, string> = {
  LAUNCHING: "bg-slate-100 text-slate-700 ring-slate-200",
  VALIDATING: "bg-sky-50 text-sky-700 ring-sky-200",
  IN_PROGRESS: "bg-brand-50 text-brand-700 ring-brand-100",
  FINALIZING: "bg-indigo-50 text-indigo-700 ring-indigo-200",
  COMPLETED: "bg-emerald-50 text-emerald-700 ring-emerald-200",
  FAILED: "bg-red-50 text-red-700 ring-red-200",
  EXPIRED: "bg-amber-50 text-amber-800 ring-amber-200",
  CANCELLING: "bg-amber-50 text-amber-800 ring-amber-200",
  CANCELLED: "bg-slate-100 text-slate-600 ring-slate-200",
};

/** English only: kept for callers outside a component; components use useStatusLabel. */
export function statusLabel(status: string) {
  const s = status.toLowerCase().replace("_", " ");
  return s.charAt(0).toUpperCase() + s.slice(1);
}

/** A status's name in the app's language ("Completed", "已完成"); an unknown one as statusLabel writes it. */
export function useStatusLabel() {
  const t = useTranslations("ui.status");
  return (status: string) => (status in tones ? t(status as "COMPLETED") : statusLabel(status));
}

/** A normalised batch status; the provider's raw value shows on hover when it differs. */
export function StatusBadge({ status, raw }: { status: string; raw?: string | null }) {
  const t = useTranslations("ui");
  const label = useStatusLabel();
  return (
    <span
      title={raw && raw.toUpperCase() !== status ? t("providerSays", { raw }) : undefined}
      className={cn("inline-flex items-center rounded-full px-2 py-0.5 text-xs font-medium ring-1 ring-inset", tones[status] ?? tones.LAUNCHING)}
    >
      {label(status)}
    </span>
  );
}
