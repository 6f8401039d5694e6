// GET /api/jobs/:id: the job with its parts and combined progress (the job page polls it).
// Signed out: 401. Another team's job, or none: 404. A NUL in the id: 400.
import { currentTeam } from "@/lib/auth/context";
import { db } from "@/lib/db/client";
import { GENERIC_MESSAGE, UserError } from "@/lib/errors";
import { assertCleanParams } from "@/lib/http/params";
import { getJobView } from "@/lib/batches/read/job-view";
import { log } from "@/lib/log";

const noStore = { "cache-control": "no-store" };

export async function GET(_req: Request, { params }: { params: Promise<{ id: string }> }) {
  const viewer = await currentTeam();
  if (!viewer) return Response.json({ error: { message: "Please sign in again." } }, { status: 401, headers: noStore });
  try {
    const { id } = await params;
    assertCleanParams({ id });
    const view = await getJobView(await db(), viewer.team.id, id);
    if (!view) return Response.json({ error: { message: "Job not found." } }, { status: 404, headers: noStore });
    return Response.json(view, { headers: noStore });
  } catch (err) {
    if (err instanceof UserError) return Response.json({ error: { message: err.message } }, { status: 400, headers: noStore });
    log.error("api.unexpected_error", { route: "GET /api/jobs/[id]", err });
    return Response.json({ error: { message: GENERIC_MESSAGE } }, { status: 500, headers: noStore });
  }
}
