"use client";
// When Batchboard last asked the provider about this batch and when it asks next (the provider's own
// pace: Doubleword 30 s, Bailian once a minute), with "Check now" for members: the sync worker polls
// the batch at its next tick. The server refuses a check within 10 s of the last poll.
import { useState, useTransition } from "react";
import { useQueryClient } from "@tanstack/react-query";
import { checkBatchNowAction } from "@/lib/batches/actions";
import { Button } from "@/components/ui/button";
import { useSecondClock } from "@/components/ui/time";

function inWords(ms: number) {
  const s = Math.round(Math.abs(ms) / 1000);
  if (s < 1) return "a moment";
  if (s < 90) return `${s} s`;
  const m = Math.round(s / 60);
  return m < 90 ? `${m} min` : `${Math.round(m / 60)} h`;
}

export function CheckNow({ batchId, lastPolledAt, nextPollAt, canRun }: { batchId: string; lastPolledAt: string | null; nextPollAt: string | null; canRun: boolean }) {
  const now = useSecondClock();
  const [message, setMessage] = useState<string | null>(null);
  const [pending, start] = useTransition();
  const queryClient = useQueryClient();
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
        {lastPolledAt ? <>Checked with the provider {now === null ? "" : `${inWords(now - new Date(lastPolledAt).getTime())} ago`}</> : <>Not checked with the provider yet</>}
        {now !== null && <> · {next <= now ? "checking now…" : `next check in ${inWords(next - now)}`}</>}
      </span>
      <Button
        variant="secondary"
        size="sm"
        onClick={check}
        disabled={!canRun || pending}
        title={canRun ? "Ask the provider about this batch now instead of waiting" : "Viewers cannot do this. Ask a member of the team."}
      >
        {pending ? "Checking…" : "Check now"}
      </Button>
      {message && (
        <p role="alert" className="w-full text-sm text-red-700">
          {message}
        </p>
      )}
    </div>
  );
}
