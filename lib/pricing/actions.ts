"use server";
// The Prices page's actions and the launch form's cost estimate. Each resolves the session and the
// team role itself (teamAction): changing prices needs an owner or admin, reading needs membership.
import { revalidatePath } from "next/cache";
import { z } from "zod";
import { teamAction, type ActionResult } from "@/lib/actions";
import { db } from "@/lib/db/client";
import { addPrice, deletePrice, updatePrice } from "./prices";
import { priceIdInput, priceInput, updatePriceInput } from "./schema";
import { estimateFileCost, type CostEstimate } from "./estimate";
import { budgetStatus, type BudgetStatus } from "@/lib/budgets/budgets";

const add = teamAction(priceInput, "ADMIN", async (input, ctx) => {
  const row = await addPrice(await db(), ctx, input);
  revalidatePath("/prices");
  return { id: row.id };
});
export async function addPriceAction(_prev: unknown, formData: FormData): Promise<ActionResult<{ id: string }>> {
  return add(formData);
}

const update = teamAction(updatePriceInput, "ADMIN", async (input, ctx) => {
  const row = await updatePrice(await db(), ctx, input);
  revalidatePath("/prices");
  return { id: row.id };
});
export async function updatePriceAction(_prev: unknown, formData: FormData): Promise<ActionResult<{ id: string }>> {
  return update(formData);
}

const remove = teamAction(priceIdInput, "ADMIN", async ({ id }, ctx) => {
  await deletePrice(await db(), ctx, id);
  revalidatePath("/prices");
});
export async function deletePriceAction(_prev: unknown, formData: FormData): Promise<ActionResult<void>> {
  return remove(formData);
}

const estimateInput = z.object({
  fileId: z.string().min(1, "Choose a file."),
  window: z.string().max(10).optional(),
  connectionId: z.string().optional(),
});

const estimate = teamAction(estimateInput, "VIEWER", async (input, ctx) => {
  const prisma = await db();
  const [cost, budget] = await Promise.all([estimateFileCost(prisma, ctx, input), budgetStatus(prisma, ctx.team.id)]);
  return { ...cost, budget };
});

/** Token counts and the cost of a file on each of the team's connections, and this month's budgets (the estimate against what is left). */
export async function estimateCostAction(input: z.input<typeof estimateInput>): Promise<ActionResult<CostEstimate & { budget: BudgetStatus }>> {
  return estimate(input);
}
