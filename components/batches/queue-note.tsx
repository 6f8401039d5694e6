// What the launch form says about a connection's queue limits: how much may run at once for this
// file's models, and that a launch over it waits in the queue and starts by itself instead of
// failing (lib/batches/queue.ts). Nothing when no limit applies.
import type { EffectiveQueueLimits } from "@/lib/providers/queue-limits";
import { limitForModel, shortTokens } from "@/lib/providers/queue-limits";
import { plural } from "@/lib/files/format";

export function QueueNote({ queue, models, connection }: { queue: EffectiveQueueLimits | null; models: string[]; connection: string }) {
  if (!queue) return null;
  const tokenLimits = models.flatMap((m) => {
    const l = limitForModel(queue.enqueuedTokens, m);
    return l ? [`${shortTokens(l.tokens)} enqueued tokens of ${l.name}`] : [];
  });
  const limits = [...new Set(tokenLimits), ...(queue.maxUnfinished !== null ? [plural(queue.maxUnfinished, "unfinished batch", "unfinished batches")] : [])];
  if (!limits.length) return null;
  return (
    <p className="rounded-md bg-slate-50 px-3 py-2 text-sm text-slate-700 ring-1 ring-slate-200" data-testid="queue-note">
      {connection} runs at most {limits.join(" and ")} at once{queue.tier ? ` (${queue.tier})` : ""}. A launch over that waits in the queue instead of failing, and
      starts by itself as earlier batches end; its job page says what it waits for.
    </p>
  );
}
