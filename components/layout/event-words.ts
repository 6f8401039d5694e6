"use client";
// A notification in the reader's language. An event is stored once for everyone it reaches, with its
// words in English (email and webhooks send those) and its facts as data (lib/notify/events.ts); the
// bell words those facts again for a reader of another language. An event type it does not know
// keeps its stored words.
import { useFormatter, useLocale, useTranslations } from "next-intl";
import type { InboxItem } from "@/lib/notify/inbox";
import { useStatusLabel } from "@/components/ui/status-badge";

type Words = { title: string; body: string };

export function useEventWords(): (item: InboxItem) => Words {
  const locale = useLocale();
  const t = useTranslations("shell.notifications.events");
  const status = useStatusLabel();
  const format = useFormatter();
  return (item) => {
    if (locale === "en") return item;
    const d = item.data;
    const s = (k: string) => (d[k] === undefined || d[k] === null ? "" : String(d[k]));
    const n = (k: string) => Number(d[k] ?? 0);
    const money = (k: string) => `${s("currency")} ${n(k).toFixed(2)}`;
    const tt = (key: string, values: Record<string, string | number>) => t(key as never, values as never);
    switch (item.type) {
      case "batch.completed":
      case "batch.failed":
      case "batch.expired":
      case "batch.cancelled": {
        const body = tt("batchBody", { completed: n("completed"), total: n("total"), failed: n("failed"), connection: s("connection") });
        return { title: tt(item.type.replace(".", "_"), { name: s("name") }), body: s("reason") ? `${body} ${s("reason")}` : body };
      }
      case "job.done": {
        const byStatus = (d.byStatus ?? {}) as Record<string, number>;
        const summary = format.list(Object.entries(byStatus).map(([st, c]) => `${c} ${status(st)}`));
        return { title: tt("job_done", { name: s("name") }), body: tt("jobBody", { parts: n("parts"), summary }) };
      }
      case "budget.threshold":
        return { title: tt("budget_threshold", { scope: s("scope"), percent: n("percent") }), body: tt("budgetBody", { spent: money("spent"), limit: money("limit"), month: s("month") }) };
      case "connection.key_refused":
        return { title: tt("connection_key_refused", { name: s("name") }), body: tt("keyBody", { message: s("message") }) };
      case "webhook.disabled": {
        const since = Date.parse(s("failingSince"));
        return {
          title: tt("webhook_disabled", { name: s("name") }),
          body: tt("webhookBody", { since: Number.isNaN(since) ? s("failingSince") : format.dateTime(since, { dateStyle: "medium", timeStyle: "short" }) }),
        };
      }
      default:
        return item;
    }
  };
}
