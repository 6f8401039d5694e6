// What the /api/jobs routes answer, as functions of (who is asking, database, request), like the
// batch routes' handlers: the session and team checks are tested without a server, and the route
// files only resolve the session. Signed out: 401. Another team's job, or none: 404. A NUL in the
// id or a parameter: 400, before anything is read or streamed (lib/http/params.ts).
import "server-only";
import { auditExport } from "@/lib/audit";
import type { TeamContext } from "@/lib/auth/context";
import { getJobView, jobForExport, jobResultsCsv } from "@/lib/batches/read/job-view";
import type { Db } from "@/lib/db/client";
import { assertCleanParams } from "@/lib/http/params";
import { attachment, csv, error, guard, json } from "@/lib/http/respond";
import { requestLocale } from "@/lib/i18n/server-messages.request";

export type Viewer = (Pick<TeamContext, "team"> & { user?: { id: string } }) | null;

const notFound = () => error(404, "Job not found.");

/** GET /api/jobs/:id: the job with its parts and combined progress (the job page polls it). */
export function jobResponse(viewer: Viewer, prisma: Db, id: string) {
  return guard("GET /api/jobs/[id]", viewer, async (v) => {
    assertCleanParams({ id });
    const view = await getJobView(prisma, v.team.id, id, await requestLocale());
    return view ? json(view) : notFound();
  });
}

/** GET /api/jobs/:id/export.csv?bom=1: every part's results as one CSV, streamed part after part. */
export function jobCsvResponse(viewer: Viewer, prisma: Db, id: string, url: URL) {
  return guard("GET /api/jobs/[id]/export.csv", viewer, async (v) => {
    assertCleanParams({ id });
    assertCleanParams(url.searchParams);
    const job = await jobForExport(prisma, v.team.id, id);
    if (!job) return notFound();
    const bom = url.searchParams.get("bom") === "1";
    await auditExport(prisma, v, { targetType: "job", targetId: job.id, targetLabel: job.name, file: "-results.csv", url });
    return csv(jobResultsCsv(prisma, job.partIds, { bom }), attachment(job.name, "-results.csv", `job-${job.id}`));
  });
}
