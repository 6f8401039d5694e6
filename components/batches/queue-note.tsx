// What the launch form says about a connection's queue limits: how much may run at once for this
// file's models, and that a launch over it waits in the queue and starts by itself instead of
// failing (lib/batches/queue.ts). Nothing when no limit applies.
import type { EffectiveQueueLimits } from "@/lib/providers/queue-limits";
import { limitForModel, shortTokens } from "@/lib/providers/queue-limits";
import { useFormatter, useTranslations } from "next-intl";

export function QueueNote({ queue, models, connection }: { queue: EffectiveQueueLimits | null; models: string[]; connection: string }) {
  const t = useTranslations("launch.queue");
  const format = useFormatter();
  if (!queue) return null;
  const tokenLimits = models.flatMap((m) => {
    const l = limitForModel(queue.enqueuedTokens, m);
    return l ? [t("tokens", { tokens: shortTokens(l.tokens), model: l.name })] : [];
  });
  const limits = [...new Set(tokenLimits), ...(queue.maxUnfinished !== null ? [t("unfinished", { count: queue.maxUnfinished })] : [])];
  if (!limits.length) return null;
  const all = format.list(limits, { type: "conjunction" });
  return (
    <p className="rounded-md bg-slate-50 px-3 py-2 text-sm text-slate-700 ring-1 ring-slate-200" data-testid="queue-note">
      {queue.tier ? t("noteTier", { connection, limits: all, tier: queue.tier }) : t("note", { connection, limits: all })}
    </p>
  );
}
