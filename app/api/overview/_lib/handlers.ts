// What /api/overview answers, as functions of (who is asking, database, request): the overview's
// refresh while batches run (JSON; it marks no visit) and its spend as CSV. Signed out: 401; every
// figure is the viewer's current team's.
import "server-only";
import { Readable } from "node:stream";
import { auditExport } from "@/lib/audit";
import type { TeamContext } from "@/lib/auth/context";
import type { Db } from "@/lib/db/client";
import { csvHeader, csvRecords } from "@/lib/csv/write";
import { assertCleanParams, ParamError } from "@/lib/http/params";
import { attachment, csv, guard, json } from "@/lib/http/respond";
import { overview, spendSeries } from "@/lib/overview/overview";
import { parseDimension, parsePeriod, PERIODS } from "@/lib/overview/period";

export type Viewer = Pick<TeamContext, "team" | "role" | "user"> | null;

function sinceParam(url: URL): Date | null {
  const v = url.searchParams.get("since");
  if (!v) return null;
  const d = new Date(v);
  if (Number.isNaN(d.getTime())) throw new ParamError("since", `The parameter "since" must be a date and time (ISO 8601); "${v.slice(0, 40)}" is not.`);
  return d;
}

/** GET /api/overview?period=&by=&since=: the overview again, for the page's refresh. */
export function overviewResponse(viewer: Viewer, prisma: Db, url: URL) {
  return guard("overview", viewer, async (v) => {
    assertCleanParams(url.searchParams);
    const sp = url.searchParams;
    const data = await overview(prisma, { teamId: v.team.id, userId: v.user.id }, parsePeriod(sp.get("period")), parseDimension(sp.get("by")), new Date(), { markSeen: false, since: sinceParam(url) });
    return json(data);
  });
}

/** GET /api/overview/spend.csv?period=&by=: one row per bucket, key and currency. */
export function spendCsvResponse(viewer: Viewer, prisma: Db, url: URL) {
  return guard("overview", viewer, async (v) => {
    assertCleanParams(url.searchParams);
    const period = parsePeriod(url.searchParams.get("period"));
    const by = parseDimension(url.searchParams.get("by"));
    const s = await spendSeries(prisma, v.team.id, period, by);
    const name = `spend-${PERIODS[period].toLowerCase().replace(/ /g, "-")}-by-${by}`;
    await auditExport(prisma, v, { action: "overview.exported", targetType: "team", targetId: v.team.id, targetLabel: v.team.name, file: `${name}.csv`, url });
    const text =
      csvHeader(["period_start", by, `${by}_label`, "currency", "cost", "tokens"]) +
      csvRecords(s.spend.map((r) => [new Date(r.t).toISOString(), r.key, s.labels[r.key] ?? r.key, r.currency ?? "", r.cost === null ? "" : r.cost.toFixed(6), r.tokens]));
    return csv(Readable.from([Buffer.from(text)]), attachment(name, ".csv", "spend"));
  });
}
