// GET /api/overview: the overview's figures, for its refresh while batches run.
import { currentTeam } from "@/lib/auth/context";
import { db } from "@/lib/db/client";
import { overviewResponse } from "./_lib/handlers";

export async function GET(req: Request) {
  return overviewResponse(await currentTeam(), await db(), new URL(req.url));
}
