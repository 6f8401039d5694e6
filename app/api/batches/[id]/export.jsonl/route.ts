// GET /api/batches/:id/export.jsonl?status=&q=&code=&finish=&model=&sort=: the view's results as
// JSONL (Batchboard's own shape, not the provider's: see output.jsonl / errors.jsonl for those), streamed.
import { currentTeam } from "@/lib/auth/context";
import { db } from "@/lib/db/client";
import { jsonlExportResponse } from "../../_lib/handlers";

export async function GET(req: Request, { params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  return jsonlExportResponse(await currentTeam(), await db(), id, new URL(req.url));
}
