// What the /api/batches routes answer, as functions of (who is asking, database, request), so that
// the session and team checks can be tested without a running server. The route files only resolve
// the session and hand it in. Signed out: 401. Another team's batch, or none: 404. A parameter that
// is not valid (a NUL anywhere, a page or limit out of range, a cursor not ours): 400, before
// anything is read or streamed (lib/http/params.ts). The answers' shapes are lib/http/respond.ts's.
import "server-only";
import type { TeamContext } from "@/lib/auth/context";
import { auditExport } from "@/lib/audit";
import { getBatchView } from "@/lib/batches/read/view";
import { listBatches, parseBatchListParams } from "@/lib/batches/read/list";
import type { Db } from "@/lib/db/client";
import { MAX_PAGE_SIZE } from "@/lib/db/paging";
import { assertCleanParams, intParam } from "@/lib/http/params";
import { attachment, csv, error, guard as guardFor, json, ndjson } from "@/lib/http/respond";
import { resultCostFor } from "@/lib/pricing/result-cost";
import { browseResults, countView, resultDetail, resultFacets, viewCount } from "@/lib/results/browse";
import { buildSearchDocsLater } from "@/lib/results/search-docs";
import { parseColumns } from "@/lib/results/columns";
import { resultsCsv, resultsJsonl, resultsJsonlExport } from "@/lib/results/export";
import { isFiltered, parseResultParams, type ResultParams } from "@/lib/results/params";

export type Viewer = (Pick<TeamContext, "team" | "role"> & { user?: { id: string } }) | null;

const notFound = () => error(404, "Batch not found.");

/** respond.ts's guard, with these routes' name in the log of an unexpected failure. */
const guard = (viewer: Viewer, run: (v: NonNullable<Viewer>) => Promise<Response>) => guardFor("batches", viewer, run);

/** The team's batch id, or null: the one check every batch route makes before reading anything. */
async function ownBatch(prisma: Db, teamId: string, id: string) {
  assertCleanParams({ id });
  return prisma.batch.findFirst({ where: { id, teamId }, select: { id: true, name: true } });
}

export function batchListResponse(viewer: Viewer, prisma: Db, url: URL) {
  return guard(viewer, async (v) => {
    assertCleanParams(url.searchParams);
    return json(await listBatches(prisma, v.team.id, parseBatchListParams(url.searchParams)));
  });
}

export function batchResponse(viewer: Viewer, prisma: Db, id: string) {
  return guard(viewer, async (v) => {
    assertCleanParams({ id });
    const view = await getBatchView(prisma, v.team.id, id);
    return view ? json(view) : notFound();
  });
}

/**
 * The results browser's reads: ?row=<id> one result for the drawer, ?facets=1 the values the
 * filters offer, otherwise a keyset page (?after=<cursor>&limit=) of the view in the URL, counted
 * on the first page of a filtered view.
 */
export function resultsResponse(viewer: Viewer, prisma: Db, id: string, url: URL) {
  return guard(viewer, async (v) => {
    const sp = url.searchParams;
    assertCleanParams(sp);
    if (!(await ownBatch(prisma, v.team.id, id))) return notFound();
    const row = intParam(sp, "row", { min: 1, max: Number.MAX_SAFE_INTEGER, fallback: undefined });
    if (row !== undefined) {
      const detail = await resultDetail(prisma, id, String(row));
      return detail ? json(detail) : error(404, "Result not found in this batch.");
    }
    if (sp.get("facets") === "1") return json(await resultFacets(prisma, id));
    const after = sp.get("after");
    const limit = intParam(sp, "limit", { min: 1, max: MAX_PAGE_SIZE, fallback: undefined });
    const p = parseResultParams(sp);
    // The view's count alone: a search's page comes without it (unless short), its count after.
    if (sp.get("count") === "1") return json(await countView(prisma, id, p));
    // A search of a finished batch without its search texts (one from before them, or whose worker
    // stopped first) has them written in the background: the next search reads them.
    if (p.q) buildSearchDocsLater(prisma, id);
    // Unfiltered, the count is the batch's own (BatchView.resultCounts): no second scan for it.
    return json(await browseResults(prisma, id, { ...p, after, limit, count: viewCount(p, after) }));
  });
}

/** "-results.csv", "-results-failed.csv", "-results-search.csv", "-results-filtered.csv". */
function exportSuffix(p: ResultParams, ext: string) {
  if (!isFiltered(p)) return `-results${ext}`;
  if (p.code || p.finish || p.model) return `-results-filtered${ext}`;
  return `-results-${p.q ? "search" : p.status}${ext}`;
}

/** ?<view params>&cols=a,b&bom=1&source=0&layout=guide: the view's rows as CSV, streamed. */
export function csvResponse(viewer: Viewer, prisma: Db, id: string, url: URL) {
  return guard(viewer, async (v) => {
    const sp = url.searchParams;
    assertCleanParams(sp);
    const batch = await ownBatch(prisma, v.team.id, id);
    if (!batch) return notFound();
    const p = parseResultParams(sp);
    // Each result's cost at the team's prices, when its models have one (a "cost_<currency>" column).
    const cost = await resultCostFor(prisma, v.team.id, batch.id);
    const opts = {
      bom: sp.get("bom") === "1",
      columns: parseColumns(sp.get("cols")),
      source: sp.get("source") !== "0",
      layout: sp.get("layout") === "guide" ? ("guide" as const) : undefined,
      sort: p.sort,
      ...(cost ? { prices: cost, costHeader: `cost_${cost.currency.toLowerCase()}` } : {}),
    };
    await auditExport(prisma, v, { targetType: "batch", targetId: batch.id, targetLabel: batch.name, file: exportSuffix(p, ".csv"), url });
    return csv(resultsCsv(prisma, batch.id, p, opts), attachment(batch.name, exportSuffix(p, ".csv"), `batch-${batch.id}`));
  });
}

/** The view's rows as Batchboard's own JSONL, streamed. */
export function jsonlExportResponse(viewer: Viewer, prisma: Db, id: string, url: URL) {
  return guard(viewer, async (v) => {
    assertCleanParams(url.searchParams);
    const batch = await ownBatch(prisma, v.team.id, id);
    if (!batch) return notFound();
    const p = parseResultParams(url.searchParams);
    await auditExport(prisma, v, { targetType: "batch", targetId: batch.id, targetLabel: batch.name, file: exportSuffix(p, ".jsonl"), url });
    return ndjson(resultsJsonlExport(prisma, batch.id, p, { sort: p.sort }), attachment(batch.name, exportSuffix(p, ".jsonl"), `batch-${batch.id}`));
  });
}

export function jsonlResponse(viewer: Viewer, prisma: Db, id: string, which: "output" | "errors") {
  return guard(viewer, async (v) => {
    const batch = await ownBatch(prisma, v.team.id, id);
    if (!batch) return notFound();
    const file = which === "output" ? "-output.jsonl" : "-errors.jsonl";
    await auditExport(prisma, v, { targetType: "batch", targetId: batch.id, targetLabel: batch.name, file });
    return ndjson(resultsJsonl(prisma, batch.id, which), attachment(batch.name, file, `batch-${batch.id}`));
  });
}
