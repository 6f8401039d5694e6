"use client";
// The job page's actions on all parts at once: cancel every part still running (with a second,
// explicit click, as for one batch), and launch the parts a refusal left unlaunched.
import { useState, useTransition } from "react";
import { useQueryClient } from "@tanstack/react-query";
import { useTranslations } from "next-intl";
import { cancelJobAction, cancelQueuedPartAction, launchRemainingPartsAction } from "@/lib/batches/actions";
import { Button } from "@/components/ui/button";

function Message({ text, tone }: { text: string | null; tone: "error" | "info" }) {
  if (!text) return null;
  return (
    <p role={tone === "error" ? "alert" : "status"} className={`max-w-md text-right text-sm ${tone === "error" ? "text-red-700" : "text-slate-600"}`}>
      {text}
    </p>
  );
}

export function CancelJobButton({ jobId, canRun }: { jobId: string; canRun: boolean }) {
  const [confirming, setConfirming] = useState(false);
  const [message, setMessage] = useState<{ text: string; tone: "error" | "info" } | null>(null);
  const [pending, start] = useTransition();
  const queryClient = useQueryClient();
  const t = useTranslations("batches.jobActions");

  if (!canRun) {
    return (
      <Button variant="danger" disabled title={t("viewer")}>
        {t("cancelAll")}
      </Button>
    );
  }
  const cancel = () =>
    start(async () => {
      setMessage(null);
      const res = await cancelJobAction({ jobId });
      if (!res.ok) setMessage({ text: res.message, tone: "error" });
      else {
        setConfirming(false);
        const { failures } = res.data;
        if (failures.length) setMessage({ text: failures.map((f) => t("partFailure", { part: f.part, message: f.message })).join(" "), tone: "error" });
      }
      await queryClient.invalidateQueries({ queryKey: ["job", jobId] });
    });

  return (
    <div className="flex flex-col items-end gap-2">
      {confirming ? (
        <div className="flex items-center gap-2 rounded-md bg-red-50 px-3 py-2 ring-1 ring-red-200">
          <span className="text-sm text-red-800">{t("confirm")}</span>
          <Button variant="danger" size="sm" onClick={cancel} disabled={pending}>
            {pending ? t("cancelling") : t("yesAll")}
          </Button>
          <Button variant="ghost" size="sm" onClick={() => setConfirming(false)} disabled={pending}>
            {t("keep")}
          </Button>
        </div>
      ) : (
        <Button variant="danger" onClick={() => setConfirming(true)}>
          {t("cancelAll")}
        </Button>
      )}
      <Message text={message?.text ?? null} tone={message?.tone ?? "error"} />
    </div>
  );
}

export function LaunchRemainingButton({ jobId, remaining, canRun }: { jobId: string; remaining: number; canRun: boolean }) {
  const t = useTranslations("batches.jobActions");
  const [message, setMessage] = useState<string | null>(null);
  const [pending, start] = useTransition();
  const queryClient = useQueryClient();
  const launch = () =>
    start(async () => {
      setMessage(null);
      const res = await launchRemainingPartsAction({ jobId });
      if (!res.ok) setMessage(res.message);
      // A part refused again is shown by the page itself (the job's latest refusal).
      await queryClient.invalidateQueries({ queryKey: ["job", jobId] });
    });
  return (
    <div className="flex flex-col items-end gap-2">
      <Button onClick={launch} disabled={!canRun || pending} title={canRun ? undefined : t("viewer")}>
        {pending ? t("launching") : t("launchRemaining", { count: remaining })}
      </Button>
      <Message text={message} tone="error" />
    </div>
  );
}

/** Cancels one part waiting in the queue (it never launches); the row then says "Cancelled". */
export function CancelQueuedPartButton({ jobId, partId, part, canRun }: { jobId: string; partId: string; part: number; canRun: boolean }) {
  const t = useTranslations("batches.jobActions");
  const [message, setMessage] = useState<string | null>(null);
  const [pending, start] = useTransition();
  const queryClient = useQueryClient();
  const cancel = () =>
    start(async () => {
      setMessage(null);
      const res = await cancelQueuedPartAction({ partId });
      if (!res.ok) setMessage(res.message);
      await queryClient.invalidateQueries({ queryKey: ["job", jobId] });
    });
  return (
    <div className="flex flex-col items-end gap-1">
      <Button variant="secondary" size="sm" onClick={cancel} disabled={!canRun || pending} title={canRun ? undefined : t("viewer")} aria-label={t("cancelPart", { part })}>
        {pending ? t("cancelling") : t("cancel")}
      </Button>
      <Message text={message} tone="error" />
    </div>
  );
}
