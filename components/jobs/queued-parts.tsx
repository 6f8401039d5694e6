// The job page's waiting parts (lib/batches/queue.ts): a badge for each part's state (queued,
// scheduled, cancelled, refused) and the panel that says what the first waiting part waits for.
import { useTranslations } from "next-intl";
import type { QueuedPartView } from "@/lib/batches/read/job-view";
import { ExactTime } from "@/components/ui/time";
import { cn } from "@/components/ui/cn";

const scheduled = (q: QueuedPartView) => q.state === "queued" && q.scheduled;

export function QueuedState({ q }: { q: QueuedPartView }) {
  const t = useTranslations("batches.queued");
  const [state, tone] =
    q.state === "cancelled"
      ? (["cancelled", "bg-slate-100 text-slate-600 ring-slate-200"] as const)
      : q.state === "refused"
        ? (["refused", "bg-red-50 text-red-700 ring-red-200"] as const)
        : scheduled(q)
          ? (["scheduled", "bg-violet-50 text-violet-700 ring-violet-200"] as const)
          : (["queued", "bg-sky-50 text-sky-800 ring-sky-200"] as const);
  return <span className={cn("inline-flex rounded-full px-2 py-0.5 text-xs font-medium ring-1 ring-inset", tone)}>{t(state)}</span>;
}

export function WaitingPanel({ waiting, of }: { waiting: QueuedPartView[]; of: number }) {
  const t = useTranslations("batches.queued");
  const first = waiting[0];
  const parts = waiting.length === 1 ? t("oneWaits", { part: first.part, of }) : t("manyWait", { count: waiting.length });
  return (
    <div role="status" className="rounded-md bg-sky-50 px-4 py-3 text-sm text-sky-950 ring-1 ring-sky-200" data-testid="waiting-panel">
      {scheduled(first) ? (
        <p className="font-medium">
          {t.rich("startsAt", { parts, time: () => <ExactTime iso={first.startAt} className="tabular-nums" /> })}
        </p>
      ) : (
        <p className="font-medium">
          {t("inQueue", { parts, reason: first.reason ?? t("nextTurn") })}
        </p>
      )}
      <p className="mt-0.5 text-sky-900">
        {scheduled(first) ? t(waiting.length === 1 ? "launchesAtOne" : "launchesAtMany") : t(waiting.length === 1 ? "launchesAsRoomOne" : "launchesAsRoomMany")} {t("cancelHint")}
      </p>
    </div>
  );
}
