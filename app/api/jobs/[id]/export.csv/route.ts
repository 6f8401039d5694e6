// GET /api/jobs/:id/export.csv?bom=1: every part's results as one CSV (one header, parts in order),
// streamed part after part. Signed out: 401. Another team's job, or none: 404. A NUL in a parameter: 400.
import { Readable } from "node:stream";
import { currentTeam } from "@/lib/auth/context";
import { db } from "@/lib/db/client";
import { GENERIC_MESSAGE, UserError } from "@/lib/errors";
import { assertCleanParams } from "@/lib/http/params";
import { attachment } from "@/lib/results/export";
import { jobForExport, jobResultsCsv } from "@/lib/batches/read/job-view";
import { log } from "@/lib/log";

const noStore = { "cache-control": "no-store" };

export async function GET(req: Request, { params }: { params: Promise<{ id: string }> }) {
  const viewer = await currentTeam();
  if (!viewer) return Response.json({ error: { message: "Please sign in again." } }, { status: 401, headers: noStore });
  try {
    const { id } = await params;
    const url = new URL(req.url);
    assertCleanParams({ id });
    assertCleanParams(url.searchParams);
    const prisma = await db();
    const job = await jobForExport(prisma, viewer.team.id, id);
    if (!job) return Response.json({ error: { message: "Job not found." } }, { status: 404, headers: noStore });
    const bom = url.searchParams.get("bom") === "1";
    return new Response(Readable.toWeb(jobResultsCsv(prisma, job.partIds, { bom })) as ReadableStream<Uint8Array>, {
      headers: { ...noStore, "content-type": "text/csv; charset=utf-8", "content-disposition": attachment(job.name, "-results.csv", `job-${job.id}`) },
    });
  } catch (err) {
    if (err instanceof UserError) return Response.json({ error: { message: err.message } }, { status: 400, headers: noStore });
    log.error("api.unexpected_error", { route: "GET /api/jobs/[id]/export.csv", err });
    return Response.json({ error: { message: GENERIC_MESSAGE } }, { status: 500, headers: noStore });
  }
}
