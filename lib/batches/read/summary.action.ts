"use server";
// The batch page's summary (and a job page's: several batches). Reading needs team membership;
// a batch of another team is "not found".
import { z } from "zod";
import { teamAction, type ActionResult } from "@/lib/actions";
import { db } from "@/lib/db/client";
import { NotFoundError } from "@/lib/errors";
import { summarizeBatches, type BatchSummary } from "./summary";

const input = z.object({ batchIds: z.array(z.string().min(1)).min(1, "Which batches?").max(500, "At most 500 batches at once.") });

const summarize = teamAction(input, "VIEWER", async ({ batchIds }, ctx) => {
  const prisma = await db();
  const ids = [...new Set(batchIds)];
  const own = await prisma.batch.count({ where: { id: { in: ids }, teamId: ctx.team.id } });
  if (own !== ids.length) throw new NotFoundError(ids.length === 1 ? "That batch" : "One of those batches");
  return (await summarizeBatches(prisma, ids)).total;
});

export async function batchSummaryAction(batchIds: string[]): Promise<ActionResult<BatchSummary>> {
  return summarize({ batchIds });
}
