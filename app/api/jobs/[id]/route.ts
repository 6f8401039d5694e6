// GET /api/jobs/:id: the job with its parts and combined progress (the job page polls it).
// Signed out: 401. Another team's job, or none: 404. A NUL in the id: 400.
import { currentTeam } from "@/lib/auth/context";
import { db } from "@/lib/db/client";
import { jobResponse } from "../_lib/handlers";

export async function GET(_req: Request, { params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  return jobResponse(await currentTeam(), await db(), id);
}
