// GET /api/files/:id/problems.csv: every problem of an invalid file as CSV (line or row, field or
// column, message). Signed out: 401. Another team's file, or none: 404. A NUL in a parameter: 400.
import { currentTeam } from "@/lib/auth/context";
import { db } from "@/lib/db/client";
import { problemsCsvResponse } from "../../_lib/handlers";

export async function GET(req: Request, { params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  return problemsCsvResponse(await currentTeam(), await db(), id, new URL(req.url));
}
