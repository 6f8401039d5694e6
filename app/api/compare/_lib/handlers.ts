// What /api/compare/export.csv answers, as a function of (who is asking, database, request), so the
// session and team checks are tested without a running server. Signed out: 401. Either batch
// absent or another team's: 404. A parameter that is not valid (a NUL in the search): 400, before
// anything is streamed. Otherwise the comparison as CSV, streamed, the page's filter and search
// respected.
import "server-only";
import { Readable } from "node:stream";
import type { TeamContext } from "@/lib/auth/context";
import type { Db } from "@/lib/db/client";
import { GENERIC_MESSAGE, UserError } from "@/lib/errors";
import { assertCleanParams } from "@/lib/http/params";
import { compareBatches } from "@/lib/compare/compare";
import { compareCsv } from "@/lib/compare/csv";
import { attachment } from "@/lib/results/export";
import { parseCompareParams } from "@/lib/compare/params";
import { log } from "@/lib/log";

export type Viewer = Pick<TeamContext, "team"> | null;

const noStore = { "cache-control": "no-store" };

function error(status: number, message: string) {
  return Response.json({ error: { message } }, { status, headers: noStore });
}

export async function compareCsvResponse(viewer: Viewer, prisma: Db, url: URL): Promise<Response> {
  if (!viewer) return error(401, "Please sign in again.");
  try {
    assertCleanParams(url.searchParams);
    const p = parseCompareParams(url.searchParams);
    if (!p.a || !p.b) return error(400, "Choose two batches: ?a=<batch id>&b=<batch id>.");
    const cmp = await compareBatches(prisma, viewer.team.id, p.a, p.b);
    if (!cmp) return error(404, "Batch not found.");
    const body = compareCsv(prisma, cmp, { filter: p.filter, q: p.q }, { bom: url.searchParams.get("bom") === "1" });
    const suffix = p.filter === "all" && !p.q ? "-compare.csv" : `-compare-${p.q ? "search" : p.filter.replace("_", "-")}.csv`;
    return new Response(Readable.toWeb(body) as ReadableStream<Uint8Array>, {
      headers: {
        ...noStore,
        "content-type": "text/csv; charset=utf-8",
        "content-disposition": attachment(`${cmp.a.name} vs ${cmp.b.name}`, suffix, `compare-${cmp.a.id}-${cmp.b.id}`),
      },
    });
  } catch (err) {
    if (err instanceof UserError) return error(400, err.message);
    log.error("api.unexpected_error", { route: "compare", err });
    return error(500, GENERIC_MESSAGE);
  }
}
