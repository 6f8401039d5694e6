// GET /api/batches/:id/results?<view>&after=&limit=: a keyset page of the results browser;
// ?row=<id>: one result for the detail drawer; ?facets=1: the values the filters offer.
import { currentTeam } from "@/lib/auth/context";
import { db } from "@/lib/db/client";
import { resultsResponse } from "../../_lib/handlers";

export async function GET(req: Request, { params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  return resultsResponse(await currentTeam(), await db(), id, new URL(req.url));
}
