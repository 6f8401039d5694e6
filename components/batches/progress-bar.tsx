// A batch's progress at a glance: completed (green) and failed (red) as shares of the total.
import { useTranslations } from "next-intl";
import { cn } from "@/components/ui/cn";
import { num } from "./fetch-json";

export function ProgressBar({ total, completed, failed, className, showNumbers = true }: { total: number; completed: number; failed: number; className?: string; showNumbers?: boolean }) {
  const t = useTranslations("batches.progress");
  const pct = (n: number) => (total > 0 ? Math.min(100, (n / total) * 100) : 0);
  return (
    <div className={cn("min-w-32", className)}>
      <div
        className="flex h-2 overflow-hidden rounded-full bg-slate-100"
        role="progressbar"
        aria-valuemin={0}
        aria-valuemax={total}
        aria-valuenow={completed + failed}
        aria-label={t("label", { completed, failed, total })}
      >
        <div className="bg-emerald-500" style={{ width: `${pct(completed)}%` }} />
        <div className="bg-red-500" style={{ width: `${pct(failed)}%` }} />
      </div>
      {showNumbers && (
        <p className="mt-1 text-xs tabular-nums text-slate-500">
          {total === 0 ? (
            t("notCounted")
          ) : (
            <>
              <span className="text-emerald-700">{num(completed)}</span>
              {failed > 0 && (
                <>
                  {" + "}
                  <span className="text-red-600">{t("failed", { count: num(failed) })}</span>
                </>
              )}
              {" / "}
              {num(total)}
            </>
          )}
        </p>
      )}
    </div>
  );
}
