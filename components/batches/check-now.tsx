"use client";
// When Batchboard last asked the provider about this batch and when it asks next (the provider's own
// pace: Doubleword 30 s, Bailian once a minute), with "Check now" for members: the sync worker polls
// the batch at its next tick. The server refuses a check within 10 s of the last poll.
import { useState, useTransition } from "react";
import { useQueryClient } from "@tanstack/react-query";
import { useTranslations } from "next-intl";
import { checkBatchNowAction } from "@/lib/batches/actions";
import { Button } from "@/components/ui/button";
import { useSecondClock } from "@/components/ui/time";

type T = ReturnType<typeof useTranslations<"batches.check">>;

function inWords(t: T, ms: number) {
  const s = Math.round(Math.abs(ms) / 1000);
  if (s < 1) return t("moment");
  if (s < 90) return t("seconds", { n: s });
  const m = Math.round(s / 60);
  return m < 90 ? t("minutes", { n: m }) : t("hours", { n: Math.round(m / 60) });
}

export function CheckNow({ batchId, lastPolledAt, nextPollAt, canRun }: { batchId: string; lastPolledAt: string | null; nextPollAt: string | null; canRun: boolean }) {
  const now = useSecondClock();
  const [message, setMessage] = useState<string | null>(null);
  const [pending, start] = useTransition();
  const queryClient = useQueryClient();
  const t = useTranslations("batches.check");
  if (!nextPollAt) return null;
  const next = new Date(nextPollAt).getTime();

  const check = () =>
    start(async () => {
      setMessage(null);
      const res = await checkBatchNowAction({ batchId });
      if (!res.ok) setMessage(res.message);
      await queryClient.invalidateQueries({ queryKey: ["batch", batchId] });
    });

  return (
    <div className="flex flex-wrap items-center gap-x-3 gap-y-2 text-sm text-slate-600" data-testid="sync-schedule">
      <span>
        {lastPolledAt ? (now === null ? t("checked") : t("checkedAgo", { ago: inWords(t, now - new Date(lastPolledAt).getTime()) })) : t("notChecked")}
        {now !== null && <> · {next <= now ? t("checkingNow") : t("nextIn", { in: inWords(t, next - now) })}</>}
      </span>
      <Button
        variant="secondary"
        size="sm"
        onClick={check}
        disabled={!canRun || pending}
        title={canRun ? t("title") : t("viewer")}
      >
        {pending ? t("checking") : t("button")}
      </Button>
      {message && (
        <p role="alert" className="w-full text-sm text-red-700">
          {message}
        </p>
      )}
    </div>
  );
}
