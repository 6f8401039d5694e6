// GET /api/batches?page=: the team's batches, newest first (the list page polls it).
import { currentTeam } from "@/lib/auth/context";
import { db } from "@/lib/db/client";
import { batchListResponse } from "./_lib/handlers";

export async function GET(req: Request) {
  return batchListResponse(await currentTeam(), await db(), new URL(req.url));
}
