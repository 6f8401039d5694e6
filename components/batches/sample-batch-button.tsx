"use client";
// "Run a sample batch" on the empty Batches page: stores a small sample file and launches it on the
// team's built-in Sandbox (lib/batches/sample.ts), then opens the batch's page.
import { useRouter } from "next/navigation";
import { useState, useTransition } from "react";
import { useTranslations } from "next-intl";
import { launchSampleAction } from "@/lib/batches/sample.action";
import { Button } from "@/components/ui/button";
import { FormMessage } from "@/components/ui/field";

export function SampleBatchButton() {
  const router = useRouter();
  const t = useTranslations("sample");
  const [pending, start] = useTransition();
  const [message, setMessage] = useState<string | null>(null);
  const run = () =>
    start(async () => {
      setMessage(null);
      const res = await launchSampleAction().catch(() => ({ ok: false as const, message: t("unreachable") }));
      if (res.ok) router.push(`/batches/${res.data.batchId}`);
      else setMessage(res.message);
    });
  return (
    <div className="flex flex-col items-center gap-2">
      <Button onClick={run} disabled={pending}>
        {pending ? t("starting") : t("run")}
      </Button>
      <FormMessage message={message ?? undefined} />
    </div>
  );
}
