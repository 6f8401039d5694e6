// The overview, the first page after sign-in: the team's active batches with progress and ETA,
// spend and tokens over a chosen period by provider, connection, model, member or source (BatchUsage,
// lib/usage/rollup.ts, by the day or hour each batch was launched), success rate and the most
// common error codes, what finished since the member's last visit, and the budgets. Plain JSON.
import "server-only";
import type { Db } from "@/lib/db/client";
import { sql } from "@/lib/db/sql";
import { iso } from "@/lib/db/paging";
import type { BatchStatus } from "@/lib/generated/prisma/enums";
import { estimateEta, type Eta } from "@/lib/batches/eta";
import { refreshBudgets, type BudgetStatus } from "@/lib/budgets/budgets";
import { profiles } from "@/lib/providers/profiles";
import { terminalStatuses } from "@/lib/providers/status";
import { bucketMs, periodRange, type OverviewPeriod, type SpendDimension } from "./period";

export interface ActiveBatch {
  id: string;
  name: string;
  status: BatchStatus;
  total: number;
  completed: number;
  failed: number;
  connection: string;
  createdAt: string;
  expiresAt: string | null;
  eta: Eta;
}

export interface SpendPoint {
  /** Start of the bucket (epoch ms). */
  t: number;
  key: string;
  currency: string | null;
  cost: number | null;
  tokens: number;
}

export interface FinishedBatch {
  id: string;
  name: string;
  status: BatchStatus;
  endedAt: string | null;
  total: number;
  completed: number;
  failed: number;
}

export interface Overview {
  period: OverviewPeriod;
  by: SpendDimension;
  from: string;
  to: string;
  bucketMs: number;
  active: ActiveBatch[];
  /** How many are running, when there are more than shown. */
  activeCount: number;
  spend: SpendPoint[];
  /** Labels of the keys of `spend` (a member's name for their id, a provider's label). */
  labels: Record<string, string>;
  totals: { batches: number; requests: number; completed: number; failed: number; successRate: number | null; tokens: number; cost: { currency: string; amount: number }[] };
  errors: { code: string | null; count: number }[];
  finished: { since: string | null; batches: FinishedBatch[] };
  budget: BudgetStatus;
}

const ACTIVE_SHOWN = 12;
const FINISHED_SHOWN = 10;

const KEY_SQL: Record<SpendDimension, string> = {
  provider: `c."kind"`,
  connection: `c."id"`,
  model: `u."model"`,
  member: `coalesce(b."createdById", '')`,
  // The API's batches one key per token, so a script's spend shows under its token's name.
  source: `CASE WHEN b."source" = 'api' THEN 'api:' || coalesce(b."apiTokenId", '') ELSE b."source" END`,
};

const SOURCE_LABELS: Record<string, string> = { browser: "Browser", import: "Imported", "api:": "API (a deleted token)" };

/** The spend rows of a period, bucketed, by one dimension: the overview's chart and its CSV. */
export async function spendSeries(prisma: Db, teamId: string, period: OverviewPeriod, by: SpendDimension, now = new Date()) {
  const { from, to } = periodRange(period, now);
  const bucket = bucketMs(period);
  const rows = await sql(prisma).query<{ t: Date; key: string; currency: string | null; cost: number | null; tokens: number }>(
    `SELECT to_timestamp(floor(extract(epoch FROM b."createdAt") * 1000 / $4) * $4 / 1000) AS t, ${KEY_SQL[by]} AS key, u."currency",
            sum(u."cost")::float8 AS cost, sum(u."promptTokens" + u."completionTokens")::float8 AS tokens
       FROM "Batch" b JOIN "BatchUsage" u ON u."batchId" = b."id" JOIN "ProviderConnection" c ON c."id" = b."connectionId"
      WHERE b."teamId" = $1 AND b."createdAt" >= $2 AND b."createdAt" < $3
      GROUP BY 1, 2, 3 ORDER BY 1, 2`,
    [teamId, from, to, bucket],
  );
  const spend: SpendPoint[] = rows.map((r) => ({ t: new Date(r.t).getTime(), key: r.key, currency: r.currency, cost: r.cost === null ? null : Number(r.cost), tokens: Number(r.tokens) }));
  const labels: Record<string, string> = {};
  const keys = [...new Set(spend.map((s) => s.key))];
  if (by === "provider") for (const k of keys) labels[k] = profiles[k]?.label ?? k;
  if (by === "connection" || by === "member") {
    const named =
      by === "connection"
        ? await prisma.providerConnection.findMany({ where: { id: { in: keys }, teamId }, select: { id: true, name: true } })
        : await prisma.user.findMany({ where: { id: { in: keys.filter(Boolean) } }, select: { id: true, name: true } });
    for (const n of named) labels[n.id] = n.name;
    if (by === "member" && keys.includes("")) labels[""] = "Someone who left";
  }
  if (by === "model") for (const k of keys) labels[k] = k || "No model named";
  if (by === "source") {
    const tokens = await prisma.apiToken.findMany({ where: { teamId, id: { in: keys.filter((k) => k.startsWith("api:")).map((k) => k.slice(4)) } }, select: { id: true, name: true } });
    for (const k of keys) labels[k] = SOURCE_LABELS[k] ?? k;
    for (const t of tokens) labels[`api:${t.id}`] = `API: ${t.name}`;
  }
  return { from, to, bucketMs: bucket, spend, labels };
}

/**
 * The overview of the member's team. The page marks the visit (`markSeen`), so that the next visit
 * lists what finished after this one; its refreshes pass the `since` it showed, and mark nothing.
 */
export async function overview(
  prisma: Db,
  ctx: { teamId: string; userId: string },
  period: OverviewPeriod,
  by: SpendDimension,
  now = new Date(),
  opts: { markSeen?: boolean; since?: Date | null } = { markSeen: true },
): Promise<Overview> {
  const { teamId } = ctx;
  // Rolls up what changed (the spend below reads BatchUsage) and announces budget thresholds.
  const budget = await refreshBudgets(prisma, teamId, now);
  const series = await spendSeries(prisma, teamId, period, by, now);
  const { from, to } = series;
  const terminal = terminalStatuses;
  const [activeRows, activeCount, totals, errors, membership] = await Promise.all([
    prisma.batch.findMany({
      where: { teamId, status: { notIn: terminal } },
      orderBy: [{ createdAt: "desc" }, { id: "desc" }],
      take: ACTIVE_SHOWN,
      select: { id: true, name: true, status: true, total: true, completed: true, failed: true, createdAt: true, expiresAt: true, lastPolledAt: true, connection: { select: { name: true } } },
    }),
    prisma.batch.count({ where: { teamId, status: { notIn: terminal } } }),
    sql(prisma).query<{ batches: number; requests: number; completed: number; failed: number }>(
      `SELECT count(*)::int AS batches, coalesce(sum("total"), 0)::float8 AS requests, coalesce(sum("completed"), 0)::float8 AS completed, coalesce(sum("failed"), 0)::float8 AS failed
         FROM "Batch" WHERE "teamId" = $1 AND "createdAt" >= $2 AND "createdAt" < $3`,
      [teamId, from, to],
    ),
    sql(prisma).query<{ code: string | null; count: number }>(
      `SELECT r."errorCode" AS code, count(*)::int AS count
         FROM "Batch" b JOIN "Result" r ON r."batchId" = b."id" AND NOT r."succeeded"
        WHERE b."teamId" = $1 AND b."createdAt" >= $2 AND b."createdAt" < $3
        GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT 5`,
      [teamId, from, to],
    ),
    prisma.membership.findUnique({ where: { userId_teamId: { userId: ctx.userId, teamId } }, select: { id: true, overviewSeenAt: true } }),
  ]);
  const snaps = activeRows.length
    ? await prisma.batchSnapshot.findMany({ where: { batchId: { in: activeRows.map((b) => b.id) } }, orderBy: { at: "asc" }, select: { batchId: true, at: true, status: true, completed: true, failed: true } })
    : [];
  const active: ActiveBatch[] = activeRows.map((b) => {
    const points = snaps.filter((s) => s.batchId === b.id).map((s) => ({ t: s.at.getTime(), status: s.status, completed: s.completed, failed: s.failed }));
    // "No change since" the last poll is information too (as on the batch page).
    const polled = b.lastPolledAt?.getTime();
    const last = points[points.length - 1];
    if (last && polled && polled > last.t) points.push({ ...last, t: polled, status: b.status, completed: b.completed, failed: b.failed });
    return {
      id: b.id,
      name: b.name,
      status: b.status,
      total: b.total,
      completed: b.completed,
      failed: b.failed,
      connection: b.connection.name,
      createdAt: b.createdAt.toISOString(),
      expiresAt: iso(b.expiresAt),
      eta: estimateEta(points, b.total, now.getTime(), b.expiresAt?.getTime()),
    };
  });
  const since = opts.since !== undefined ? opts.since : (membership?.overviewSeenAt ?? null);
  const finished = since
    ? await sql(prisma).query<{ id: string; name: string; status: BatchStatus; endedAt: Date | null; total: number; completed: number; failed: number }>(
        `SELECT "id", "name", "status", coalesce("completedAt", "failedAt", "expiredAt", "cancelledAt", "updatedAt") AS "endedAt", "total", "completed", "failed"
           FROM "Batch" WHERE "teamId" = $1 AND "status"::text = ANY($2::text[])
            AND coalesce("completedAt", "failedAt", "expiredAt", "cancelledAt", "updatedAt") > $3
          ORDER BY 4 DESC LIMIT $4`,
        [teamId, terminal, since, FINISHED_SHOWN],
      )
    : [];
  if (membership && opts.markSeen) await prisma.membership.update({ where: { id: membership.id }, data: { overviewSeenAt: now } });
  const t = totals[0];
  const done = Number(t.completed) + Number(t.failed);
  const cost = new Map<string, number>();
  for (const s of series.spend) if (s.currency && s.cost !== null) cost.set(s.currency, (cost.get(s.currency) ?? 0) + s.cost);
  return {
    period,
    by,
    from: from.toISOString(),
    to: to.toISOString(),
    bucketMs: series.bucketMs,
    active,
    activeCount,
    spend: series.spend,
    labels: series.labels,
    totals: {
      batches: t.batches,
      requests: Number(t.requests),
      completed: Number(t.completed),
      failed: Number(t.failed),
      successRate: done > 0 ? Number(t.completed) / done : null,
      tokens: series.spend.reduce((a, s) => a + s.tokens, 0),
      cost: [...cost].map(([currency, amount]) => ({ currency, amount })),
    },
    errors,
    finished: { since: iso(since), batches: finished.map((f) => ({ ...f, endedAt: f.endedAt ? new Date(f.endedAt).toISOString() : null })) },
    budget,
  };
}
