// What Batchboard tells people about: the event types, who may receive each, their defaults, and
// the events themselves as notify() takes them. Browser-safe (the preferences page and the webhook
// form read the types and labels): no server code here.

export const EVENT_TYPES = [
  "batch.completed",
  "batch.failed",
  "batch.expired",
  "batch.cancelled",
  "job.done",
  "budget.threshold",
  "connection.key_refused",
  "webhook.disabled",
] as const;
export type EventType = (typeof EVENT_TYPES)[number];

/** Sent to one webhook only, by its "Send test event" button; never to people. */
export const TEST_EVENT = "webhook.test";

interface TypeInfo {
  label: string;
  description: string;
  /** Who is told: every member, or only the team's owners and admins (who can act on it). */
  audience: "members" | "admins";
  /** Defaults for a member who has not chosen. */
  inApp: boolean;
  email: boolean;
  /** Whether a webhook can subscribe to it. */
  webhook: boolean;
}

export const EVENT_INFO: Record<EventType, TypeInfo> = {
  "batch.completed": { label: "Batch completed", description: "A batch finished and its results are in.", audience: "members", inApp: true, email: true, webhook: true },
  "batch.failed": { label: "Batch failed", description: "The provider failed a batch, or its launch was lost.", audience: "members", inApp: true, email: true, webhook: true },
  "batch.expired": { label: "Batch expired", description: "A batch ran out of its completion window.", audience: "members", inApp: true, email: true, webhook: true },
  "batch.cancelled": { label: "Batch cancelled", description: "A batch was cancelled.", audience: "members", inApp: true, email: false, webhook: true },
  "job.done": { label: "Job done", description: "Every part of a split job has ended.", audience: "members", inApp: true, email: true, webhook: true },
  "budget.threshold": { label: "Budget threshold", description: "Spend reached 80% or 100% of a monthly budget.", audience: "members", inApp: true, email: true, webhook: true },
  "connection.key_refused": { label: "Connection key refused", description: "A provider refused a connection's API key (HTTP 401).", audience: "admins", inApp: true, email: true, webhook: true },
  "webhook.disabled": { label: "Webhook disabled", description: "A webhook was turned off after failing for about a day.", audience: "admins", inApp: true, email: true, webhook: false },
};

export const WEBHOOK_EVENT_TYPES = EVENT_TYPES.filter((t) => EVENT_INFO[t].webhook);

export type JsonValue = string | number | boolean | null | JsonValue[] | { [k: string]: JsonValue };

/** One occurrence, as notify() records it. `key` names it: the same key twice is one event. */
export interface NotifyEvent {
  type: EventType;
  key: string;
  title: string;
  body: string;
  /** A path in the app ("/batches/abc"), made absolute with PUBLIC_URL for email and webhooks. */
  link?: string;
  data: Record<string, JsonValue>;
}

const TERMINAL_EVENT = { COMPLETED: "batch.completed", FAILED: "batch.failed", EXPIRED: "batch.expired", CANCELLED: "batch.cancelled" } as const;
type Terminal = keyof typeof TERMINAL_EVENT;

export function isTerminalForEvent(status: string): status is Terminal {
  return status in TERMINAL_EVENT;
}

/** A batch that reached a terminal status. One event per batch (a batch ends once). */
export function batchEndedEvent(b: { id: string; name: string; status: Terminal; total: number; completed: number; failed: number; connectionName: string; reason?: string | null }): NotifyEvent {
  const type = TERMINAL_EVENT[b.status];
  const verb = { COMPLETED: "completed", FAILED: "failed", EXPIRED: "expired", CANCELLED: "was cancelled" }[b.status];
  const counts = `${b.completed} of ${b.total} requests succeeded, ${b.failed} failed`;
  return {
    type,
    key: `batch:${b.id}`,
    title: `Batch "${b.name}" ${verb}`,
    body: `${counts} (${b.connectionName}).${b.reason ? ` ${b.reason}` : ""}`,
    link: `/batches/${b.id}`,
    data: { batchId: b.id, name: b.name, status: b.status.toLowerCase(), total: b.total, completed: b.completed, failed: b.failed, connection: b.connectionName, ...(b.reason ? { reason: b.reason } : {}) },
  };
}

/** The order a job's parts are counted in, whatever order the database gave them: "3 completed, 1 failed". */
const ENDED_ORDER = ["COMPLETED", "FAILED", "EXPIRED", "CANCELLED"];

export function jobDoneEvent(j: { id: string; name: string; parts: number; byStatus: Record<string, number> }): NotifyEvent {
  const rank = (s: string) => (ENDED_ORDER.includes(s) ? ENDED_ORDER.indexOf(s) : ENDED_ORDER.length);
  const summary = Object.entries(j.byStatus)
    .sort(([a], [b]) => rank(a) - rank(b))
    .map(([s, n]) => `${n} ${s.toLowerCase()}`)
    .join(", ");
  return {
    type: "job.done",
    key: `job:${j.id}`,
    title: `Job "${j.name}" is done`,
    body: `All ${j.parts} parts have ended: ${summary}.`,
    link: `/jobs/${j.id}`,
    data: { jobId: j.id, name: j.name, parts: j.parts, byStatus: j.byStatus },
  };
}

/**
 * A budget crossed a threshold (for the budgets feature to call). One event per budget, month and
 * threshold: `budgetId` is the team's or the connection's budget, `month` "2026-12".
 */
export function budgetThresholdEvent(b: { budgetId: string; scope: string; month: string; percent: 80 | 100; spent: number; limit: number; currency: string; connectionId?: string }): NotifyEvent {
  const money = (n: number) => `${b.currency} ${n.toFixed(2)}`;
  return {
    type: "budget.threshold",
    key: `budget:${b.budgetId}:${b.month}:${b.percent}`,
    title: `${b.scope}: ${b.percent}% of the monthly budget reached`,
    body: `${money(b.spent)} of ${money(b.limit)} spent in ${b.month}.`,
    link: "/overview",
    data: { budgetId: b.budgetId, scope: b.scope, month: b.month, percent: b.percent, spent: b.spent, limit: b.limit, currency: b.currency, ...(b.connectionId ? { connectionId: b.connectionId } : {}) },
  };
}

/** A provider answered 401 to a connection's key. One event per key: replacing the key (keyVersion) allows the next. */
export function keyRefusedEvent(c: { id: string; name: string; keyVersion: number; said: string }): NotifyEvent {
  return {
    type: "connection.key_refused",
    key: `key-refused:${c.id}:${c.keyVersion}`,
    title: `The provider refused the key of "${c.name}"`,
    body: `${c.said} Replace the key on the Providers page; batches on this connection are not synced until then.`,
    link: "/providers",
    data: { connectionId: c.id, name: c.name, message: c.said },
  };
}

export function webhookDisabledEvent(w: { id: string; name: string; since: Date; lastError: string | null }): NotifyEvent {
  return {
    type: "webhook.disabled",
    key: `webhook-disabled:${w.id}:${w.since.toISOString()}`,
    title: `Webhook "${w.name}" was disabled`,
    body: `Every delivery has failed since ${w.since.toISOString()}${w.lastError ? ` (last: ${w.lastError})` : ""}. Fix the receiver, then enable it again under Team → Webhooks.`,
    link: "/team/webhooks",
    data: { webhookId: w.id, name: w.name, failingSince: w.since.toISOString(), ...(w.lastError ? { lastError: w.lastError } : {}) },
  };
}
