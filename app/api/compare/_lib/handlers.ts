// What /api/compare/export.csv answers, as a function of (who is asking, database, request), so the
// session and team checks are tested without a running server. Signed out: 401. Either batch
// absent or another team's: 404. A parameter that is not valid (a NUL in the search): 400, before
// anything is streamed. Otherwise the comparison as CSV, streamed, the page's filter and search
// respected.
import "server-only";
import { auditExport } from "@/lib/audit";
import type { TeamContext } from "@/lib/auth/context";
import { compareBatches } from "@/lib/compare/compare";
import { compareCsv } from "@/lib/compare/csv";
import { parseCompareParams } from "@/lib/compare/params";
import type { Db } from "@/lib/db/client";
import { assertCleanParams } from "@/lib/http/params";
import { attachment, csv, error, guard } from "@/lib/http/respond";

export type Viewer = (Pick<TeamContext, "team"> & { user?: { id: string } }) | null;

export function compareCsvResponse(viewer: Viewer, prisma: Db, url: URL): Promise<Response> {
  return guard("compare", viewer, async (v) => {
    assertCleanParams(url.searchParams);
    const p = parseCompareParams(url.searchParams);
    if (!p.a || !p.b) return error(400, "Choose two batches: ?a=<batch id>&b=<batch id>.");
    const cmp = await compareBatches(prisma, v.team.id, p.a, p.b);
    if (!cmp) return error(404, "Batch not found.");
    const body = compareCsv(prisma, cmp, { filter: p.filter, q: p.q }, { bom: url.searchParams.get("bom") === "1" });
    const suffix = p.filter === "all" && !p.q ? "-compare.csv" : `-compare-${p.q ? "search" : p.filter.replace("_", "-")}.csv`;
    const label = `${cmp.a.name} vs ${cmp.b.name}`;
    await auditExport(prisma, v, { action: "compare.exported", targetType: "batch", targetId: cmp.a.id, targetLabel: label, file: suffix, url });
    return csv(body, attachment(label, suffix, `compare-${cmp.a.id}-${cmp.b.id}`));
  });
}
