"use client";
// Cancel with a second, explicit click: cancelling cannot be undone, and the work already done is
// still billed by the provider.
import { useState, useTransition } from "react";
import { useQueryClient } from "@tanstack/react-query";
import { useTranslations } from "next-intl";
import { cancelBatchAction } from "@/lib/batches/actions";
import { Button } from "@/components/ui/button";

export function CancelBatchButton({ batchId, canRun }: { batchId: string; canRun: boolean }) {
  const [confirming, setConfirming] = useState(false);
  const [message, setMessage] = useState<string | null>(null);
  const [pending, start] = useTransition();
  const queryClient = useQueryClient();
  const t = useTranslations("batches.cancel");

  if (!canRun) {
    return (
      <Button variant="danger" disabled title={t("viewer")}>
        {t("button")}
      </Button>
    );
  }

  const cancel = () =>
    start(async () => {
      setMessage(null);
      const res = await cancelBatchAction({ batchId });
      if (!res.ok) setMessage(res.message);
      else setConfirming(false);
      await queryClient.invalidateQueries({ queryKey: ["batch", batchId] });
    });

  return (
    <div className="flex flex-col items-end gap-2">
      {confirming ? (
        <div className="flex items-center gap-2 rounded-md bg-red-50 px-3 py-2 ring-1 ring-red-200">
          <span className="text-sm text-red-800">{t("confirm")}</span>
          <Button variant="danger" size="sm" onClick={cancel} disabled={pending}>
            {pending ? t("cancelling") : t("yes")}
          </Button>
          <Button variant="ghost" size="sm" onClick={() => setConfirming(false)} disabled={pending}>
            {t("keep")}
          </Button>
        </div>
      ) : (
        <Button variant="danger" onClick={() => setConfirming(true)}>
          {t("button")}
        </Button>
      )}
      {message && (
        <p role="alert" className="max-w-md text-right text-sm text-red-700">
          {message}
        </p>
      )}
    </div>
  );
}
