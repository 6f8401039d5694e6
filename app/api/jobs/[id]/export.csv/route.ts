// GET /api/jobs/:id/export.csv?bom=1: every part's results as one CSV (one header, parts in order),
// streamed part after part. Signed out: 401. Another team's job, or none: 404. A NUL in a parameter: 400.
import { currentTeam } from "@/lib/auth/context";
import { db } from "@/lib/db/client";
import { jobCsvResponse } from "../../_lib/handlers";

export async function GET(req: Request, { params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  return jobCsvResponse(await currentTeam(), await db(), id, new URL(req.url));
}
