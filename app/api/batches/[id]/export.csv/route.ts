// GET /api/batches/:id/export.csv?status=&q=&bom=1: the results as CSV, streamed.
import { currentTeam } from "@/lib/auth/context";
import { db } from "@/lib/db/client";
import { csvResponse } from "../../_lib/handlers";

export async function GET(req: Request, { params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  return csvResponse(await currentTeam(), await db(), id, new URL(req.url));
}
