// GET /api/batches/:id: the batch with its progress snapshots (the batch page polls it).
import { currentTeam } from "@/lib/auth/context";
import { db } from "@/lib/db/client";
import { batchResponse } from "../_lib/handlers";

export async function GET(_req: Request, { params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  return batchResponse(await currentTeam(), await db(), id);
}
