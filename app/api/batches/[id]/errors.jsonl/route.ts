// GET /api/batches/:id/errors.jsonl: the provider's error lines (failed requests), streamed.
import { currentTeam } from "@/lib/auth/context";
import { db } from "@/lib/db/client";
import { jsonlResponse } from "../../_lib/handlers";

export async function GET(_req: Request, { params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  return jsonlResponse(await currentTeam(), await db(), id, "errors");
}
