// GET /api/batches/:id/merged?page=&status=: the latest result per custom_id across the lineage.
import { currentTeam } from "@/lib/auth/context";
import { db } from "@/lib/db/client";
import { mergedResponse } from "../../_lib/lineage-handlers";

export async function GET(req: Request, { params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  return mergedResponse(await currentTeam(), await db(), id, new URL(req.url));
}
