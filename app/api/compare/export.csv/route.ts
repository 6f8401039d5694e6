// GET /api/compare/export.csv?a=&b=&filter=&q=&bom=1: two batches compared row by row, as CSV, streamed.
import { currentTeam } from "@/lib/auth/context";
import { db } from "@/lib/db/client";
import { compareCsvResponse } from "../_lib/handlers";

export async function GET(req: Request) {
  return compareCsvResponse(await currentTeam(), await db(), new URL(req.url));
}
