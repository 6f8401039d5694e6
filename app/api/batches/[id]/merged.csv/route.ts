// GET /api/batches/:id/merged.csv?bom=1: the merged results of the lineage as CSV, streamed.
import { currentTeam } from "@/lib/auth/context";
import { db } from "@/lib/db/client";
import { mergedCsvResponse } from "../../_lib/lineage-handlers";

export async function GET(req: Request, { params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  return mergedCsvResponse(await currentTeam(), await db(), id, new URL(req.url));
}
