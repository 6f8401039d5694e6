// GET /api/audit/export.csv?action=&actor=&type=&from=&to=&q=&bom=1: the team's audit log as CSV,
// newest first, with the Audit page's filters; admins and owners only (see _lib/handlers.ts).
import { currentTeam } from "@/lib/auth/context";
import { db } from "@/lib/db/client";
import { auditCsvResponse } from "../_lib/handlers";

export async function GET(req: Request) {
  return auditCsvResponse(await currentTeam(), await db(), new URL(req.url));
}
