"use client";
// Completed and failed requests against time, from the batch's snapshots, as steps: counts only
// change when the provider is polled, so a slope between two polls would invent data.
import { useTranslations } from "next-intl";
import type { BatchView } from "@/lib/batches/read/view";
import { TimeSeriesChart, type TimePoint } from "@/components/ui/chart";

export function progressPoints(b: Pick<BatchView, "snapshots" | "live" | "completed" | "failed" | "lastPolledAt">): TimePoint[] {
  const points: TimePoint[] = b.snapshots.map((s) => ({ t: Date.parse(s.at), completed: s.completed, failed: s.failed }));
  // While it runs, carry the line on to the last poll: "no change since" is information too.
  const last = points[points.length - 1];
  const polled = b.lastPolledAt ? Date.parse(b.lastPolledAt) : null;
  if (b.live && last && polled && polled > last.t) points.push({ t: polled, completed: b.completed, failed: b.failed });
  return points;
}

export function ProgressChart({ batch }: { batch: BatchView }) {
  const t = useTranslations("shell.chart");
  const total = batch.total || batch.inputFile.requestCount;
  return (
    <TimeSeriesChart
      aria-label={t("progress", { name: batch.name, completed: batch.completed, failed: batch.failed, total })}
      data={progressPoints(batch)}
      step
      height={260}
      reference={total > 0 ? { y: total, label: t("requests", { total }) } : undefined}
      series={[
        { key: "completed", label: t("completed"), color: "success" },
        { key: "failed", label: t("failed"), color: "danger" },
      ]}
      empty={batch.live ? t("waiting") : t("never")}
    />
  );
}
