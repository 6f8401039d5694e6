// GET /api/batches/:id/results?page=&status=&q=: one page of results beside their prompts.
import { currentTeam } from "@/lib/auth/context";
import { db } from "@/lib/db/client";
import { resultsResponse } from "../../_lib/handlers";

export async function GET(req: Request, { params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  return resultsResponse(await currentTeam(), await db(), id, new URL(req.url));
}
