// What the lineage, retry and merged-view routes answer, as functions of (who is asking, database,
// request), like handlers.ts: testable without a server. Signed out: 401. Another team's batch, or
// none: 404 (the lineage query itself only walks the asker's team). A parameter that is not valid
// (a NUL, a page out of range): 400 (lib/http/params.ts).
import "server-only";
import { auditExport } from "@/lib/audit";
import type { TeamContext } from "@/lib/auth/context";
import { can } from "@/lib/auth/roles";
import { getLineage } from "@/lib/batches/lineage";
import { mergedCsv, queryMerged, type MergedStatus } from "@/lib/batches/merged";
import { retryOptions } from "@/lib/batches/retry";
import type { Db } from "@/lib/db/client";
import { assertCleanParams, pageParam } from "@/lib/http/params";
import { attachment, csv, error, guard as guardFor, json } from "@/lib/http/respond";

export type Viewer = (Pick<TeamContext, "team" | "role"> & { user?: { id: string } }) | null;

const NOT_FOUND = "Batch not found.";
const notFound = () => error(404, NOT_FOUND);

/** Runs a handler for batch `id` and the address's parameters, all checked first; a lookup that finds no batch is a 404. */
function guard(viewer: Viewer, id: string, url: URL | null, run: (v: NonNullable<Viewer>) => Promise<Response>): Promise<Response> {
  return guardFor(
    "batches/lineage",
    viewer,
    async (v) => {
      assertCleanParams({ id });
      if (url) assertCleanParams(url.searchParams);
      return run(v);
    },
    { notFound: NOT_FOUND },
  );
}

/** GET /api/batches/:id/lineage: the whole tree the batch belongs to. */
export function lineageResponse(viewer: Viewer, prisma: Db, id: string) {
  return guard(viewer, id, null, async (v) => {
    const lineage = await getLineage(prisma, v.team.id, id);
    return lineage ? json(lineage) : notFound();
  });
}

/** GET /api/batches/:id/retry: what the retry dialog offers, and whether this user may retry. */
export function retryOptionsResponse(viewer: Viewer, prisma: Db, id: string) {
  return guard(viewer, id, null, async (v) => json({ ...(await retryOptions(prisma, v.team.id, id)), canRetry: can.run(v.role) }));
}

const statusOf = (s: string | null): MergedStatus => (s === "succeeded" || s === "failed" ? s : "all");

/** GET /api/batches/:id/merged?page=&status=: a page of the lineage's merged results. */
export function mergedResponse(viewer: Viewer, prisma: Db, id: string, url: URL) {
  return guard(viewer, id, url, async (v) => {
    const page = pageParam(url.searchParams);
    const lineage = await getLineage(prisma, v.team.id, id);
    if (!lineage) return notFound();
    return json(await queryMerged(prisma, lineage, { page, status: statusOf(url.searchParams.get("status")) }));
  });
}

/** GET /api/batches/:id/merged.csv?bom=1: the merged results as CSV, streamed. */
export function mergedCsvResponse(viewer: Viewer, prisma: Db, id: string, url: URL) {
  return guard(viewer, id, url, async (v) => {
    const lineage = await getLineage(prisma, v.team.id, id);
    if (!lineage) return notFound();
    const root = lineage.nodes.find((n) => n.id === lineage.rootId)!;
    await auditExport(prisma, v, { targetType: "batch", targetId: root.id, targetLabel: root.name, file: "-merged.csv", url });
    return csv(mergedCsv(prisma, lineage, { bom: url.searchParams.get("bom") === "1" }), attachment(root.name, "-merged.csv", `batch-${root.id}`));
  });
}
