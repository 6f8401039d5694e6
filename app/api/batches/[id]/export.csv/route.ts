// GET /api/batches/:id/export.csv?status=&q=&code=&finish=&model=&sort=&cols=&bom=1&source=0: the
// view's results as CSV (for a CSV upload, the user's own columns first), streamed.
import { currentTeam } from "@/lib/auth/context";
import { db } from "@/lib/db/client";
import { csvResponse } from "../../_lib/handlers";

export async function GET(req: Request, { params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  return csvResponse(await currentTeam(), await db(), id, new URL(req.url));
}
