// GET /api/batches/:id/lineage: the batch's retries tree (root, parents, children), team-checked.
import { currentTeam } from "@/lib/auth/context";
import { db } from "@/lib/db/client";
import { lineageResponse } from "../../_lib/lineage-handlers";

export async function GET(_req: Request, { params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  return lineageResponse(await currentTeam(), await db(), id);
}
