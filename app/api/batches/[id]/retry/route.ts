// GET /api/batches/:id/retry: what a retry of this batch would take (counts by kind and error code),
// and the connections it could run on. The retry itself is a server action (lib/batches/retry.action.ts).
import { currentTeam } from "@/lib/auth/context";
import { db } from "@/lib/db/client";
import { retryOptionsResponse } from "../../_lib/lineage-handlers";

export async function GET(_req: Request, { params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  return retryOptionsResponse(await currentTeam(), await db(), id);
}
