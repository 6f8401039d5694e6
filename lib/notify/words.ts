// An event in a reader's language, from its facts. An event is stored once for everyone it reaches,
// with its words in English (webhooks send those: machines read them) and its facts as data
// (events.ts); the bell (components/layout/event-words.ts) and each recipient's email (delivery.ts)
// word those facts again in the reader's language. Browser-safe: the caller brings the translator
// and formatters of its language. An event type it does not know keeps its stored words.
import { formatMoney } from "@/lib/pricing/cost";

export interface EventFacts {
  type: string;
  title: string;
  body: string;
  data: Record<string, unknown>;
}

export interface EventWording {
  locale: string;
  /** The messages' shell.notifications.events namespace. */
  t: (key: string, values: Record<string, string | number>) => string;
  /** A status's name ("Completed", "已完成"). */
  status: (status: string) => string;
  list: (items: string[]) => string;
  dateTime: (ms: number) => string;
  /** A sentence stored in English (a batch's reason, the provider's refusal), in the reader's language where the caller can. */
  sentence?: (english: string) => string;
}

export function wordEvent(item: EventFacts, w: EventWording): { title: string; body: string } {
  const d = item.data ?? {};
  const s = (k: string) => (d[k] === undefined || d[k] === null ? "" : String(d[k]));
  const n = (k: string) => Number(d[k] ?? 0);
  const sentence = (k: string) => (w.sentence ? w.sentence(s(k)) : s(k));
  const money = (k: string) => formatMoney(n(k), s("currency") || "USD", w.locale);
  switch (item.type) {
    case "batch.completed":
    case "batch.failed":
    case "batch.expired":
    case "batch.cancelled": {
      const body = w.t("batchBody", { completed: n("completed"), total: n("total"), failed: n("failed"), connection: s("connection") });
      return { title: w.t(item.type.replace(".", "_"), { name: s("name") }), body: s("reason") ? `${body}${/[。！？]$/.test(body) ? "" : " "}${sentence("reason")}` : body };
    }
    case "job.done": {
      const byStatus = (d.byStatus ?? {}) as Record<string, number>;
      const summary = w.list(Object.entries(byStatus).map(([st, c]) => `${c} ${w.status(st)}`));
      return { title: w.t("job_done", { name: s("name") }), body: w.t("jobBody", { parts: n("parts"), summary }) };
    }
    case "budget.threshold": {
      // The scope is stored as words ("The team", "Connection Prod"): worded again from whose budget it is.
      const scope = d.connectionId ? w.t("budgetScopeConnection", { name: s("scope").replace(/^Connection /, "") }) : w.t("budgetScopeTeam", {});
      return { title: w.t("budget_threshold", { scope, percent: n("percent") }), body: w.t("budgetBody", { spent: money("spent"), limit: money("limit"), month: s("month") }) };
    }
    case "connection.key_refused":
      return { title: w.t("connection_key_refused", { name: s("name") }), body: w.t("keyBody", { message: sentence("message") }) };
    case "webhook.disabled": {
      const since = Date.parse(s("failingSince"));
      return { title: w.t("webhook_disabled", { name: s("name") }), body: w.t("webhookBody", { since: Number.isNaN(since) ? s("failingSince") : w.dateTime(since) }) };
    }
    default:
      return { title: item.title, body: item.body };
  }
}
