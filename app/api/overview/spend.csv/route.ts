// GET /api/overview/spend.csv: the overview's spend and tokens over the period, as CSV.
import { currentTeam } from "@/lib/auth/context";
import { db } from "@/lib/db/client";
import { spendCsvResponse } from "../_lib/handlers";

export async function GET(req: Request) {
  return spendCsvResponse(await currentTeam(), await db(), new URL(req.url));
}
