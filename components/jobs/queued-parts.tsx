// The job page's waiting parts (lib/batches/queue.ts): a badge for each part's state (queued,
// scheduled, cancelled, refused) and the panel that says what the first waiting part waits for.
import type { QueuedPartView } from "@/lib/batches/read/job-view";
import { ExactTime } from "@/components/ui/time";
import { cn } from "@/components/ui/cn";

const scheduled = (q: QueuedPartView) => q.state === "queued" && q.scheduled;

export function QueuedState({ q }: { q: QueuedPartView }) {
  const [label, tone] =
    q.state === "cancelled"
      ? ["Cancelled", "bg-slate-100 text-slate-600 ring-slate-200"]
      : q.state === "refused"
        ? ["Refused", "bg-red-50 text-red-700 ring-red-200"]
        : scheduled(q)
          ? ["Scheduled", "bg-violet-50 text-violet-700 ring-violet-200"]
          : ["Queued", "bg-sky-50 text-sky-800 ring-sky-200"];
  return <span className={cn("inline-flex rounded-full px-2 py-0.5 text-xs font-medium ring-1 ring-inset", tone)}>{label}</span>;
}

export function WaitingPanel({ waiting, of }: { waiting: QueuedPartView[]; of: number }) {
  const first = waiting[0];
  const parts = waiting.length === 1 ? `Part ${first.part} of ${of} waits` : `${waiting.length} parts wait`;
  return (
    <div role="status" className="rounded-md bg-sky-50 px-4 py-3 text-sm text-sky-950 ring-1 ring-sky-200" data-testid="waiting-panel">
      {scheduled(first) ? (
        <p className="font-medium">
          {parts} to start at <ExactTime iso={first.startAt} className="tabular-nums" />.
        </p>
      ) : (
        <p className="font-medium">
          {parts} in the queue: {first.reason ?? "its turn comes next"}.
        </p>
      )}
      <p className="mt-0.5 text-sky-900">
        {scheduled(first)
          ? `Batchboard launches ${waiting.length === 1 ? "it" : "them, in order,"} at that time by itself (later if the connection has no room then), also after a restart.`
          : `Batchboard launches ${waiting.length === 1 ? "it" : "each, in order,"} by itself as room frees up on the connection, also after a restart.`}{" "}
        Cancel a part below to drop it.
      </p>
    </div>
  );
}
