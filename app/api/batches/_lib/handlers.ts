// What the /api/batches routes answer, as functions of (who is asking, database, request), so that
// the session and team checks can be tested without a running server. The route files only resolve
// the session and hand it in. Signed out: 401. Another team's batch, or none: 404.
import "server-only";
import { Readable } from "node:stream";
import type { TeamContext } from "@/lib/auth/context";
import type { Db } from "@/lib/db/client";
import { GENERIC_MESSAGE } from "@/lib/errors";
import { attachment, resultsCsv, resultsJsonl } from "@/lib/batches/export";
import { getBatchView, listBatches, queryResults } from "@/lib/batches/queries";
import { parsePage, parseResultParams } from "@/components/batches/result-params";

export type Viewer = Pick<TeamContext, "team" | "role"> | null;

const noStore = { "cache-control": "no-store" };

function json(data: unknown, status = 200) {
  return Response.json(data, { status, headers: noStore });
}

function error(status: number, message: string) {
  return json({ error: { message } }, status);
}

const unauthorized = () => error(401, "Please sign in again.");
const notFound = () => error(404, "Batch not found.");

/** Runs a handler, turning an unexpected failure into a 500 whose details stay in the log. */
async function guard(viewer: Viewer, run: (v: NonNullable<Viewer>) => Promise<Response>): Promise<Response> {
  if (!viewer) return unauthorized();
  try {
    return await run(viewer);
  } catch (err) {
    console.error(err);
    return error(500, GENERIC_MESSAGE);
  }
}

/** The team's batch id, or null: the one check every batch route makes before reading anything. */
async function ownBatch(prisma: Db, teamId: string, id: string) {
  return prisma.batch.findFirst({ where: { id, teamId }, select: { id: true, name: true } });
}

function stream(body: Readable, headers: Record<string, string>) {
  return new Response(Readable.toWeb(body) as ReadableStream<Uint8Array>, { headers: { ...noStore, ...headers } });
}

export function batchListResponse(viewer: Viewer, prisma: Db, url: URL) {
  return guard(viewer, async (v) => json(await listBatches(prisma, v.team.id, { page: parsePage(url.searchParams) })));
}

export function batchResponse(viewer: Viewer, prisma: Db, id: string) {
  return guard(viewer, async (v) => {
    const view = await getBatchView(prisma, v.team.id, id);
    return view ? json(view) : notFound();
  });
}

export function resultsResponse(viewer: Viewer, prisma: Db, id: string, url: URL) {
  return guard(viewer, async (v) => {
    if (!(await ownBatch(prisma, v.team.id, id))) return notFound();
    const p = parseResultParams(url.searchParams);
    return json(await queryResults(prisma, id, p));
  });
}

export function csvResponse(viewer: Viewer, prisma: Db, id: string, url: URL) {
  return guard(viewer, async (v) => {
    const batch = await ownBatch(prisma, v.team.id, id);
    if (!batch) return notFound();
    const { status, q } = parseResultParams(url.searchParams);
    const bom = url.searchParams.get("bom") === "1";
    const suffix = status === "all" && !q ? "-results.csv" : `-results-${q ? "search" : status}.csv`;
    return stream(resultsCsv(prisma, batch.id, { status, q }, { bom }), {
      "content-type": "text/csv; charset=utf-8",
      "content-disposition": attachment(batch.name, suffix, `batch-${batch.id}`),
    });
  });
}

export function jsonlResponse(viewer: Viewer, prisma: Db, id: string, which: "output" | "errors") {
  return guard(viewer, async (v) => {
    const batch = await ownBatch(prisma, v.team.id, id);
    if (!batch) return notFound();
    return stream(resultsJsonl(prisma, batch.id, which), {
      "content-type": "application/x-ndjson; charset=utf-8",
      "content-disposition": attachment(batch.name, which === "output" ? "-output.jsonl" : "-errors.jsonl", `batch-${batch.id}`),
    });
  });
}
