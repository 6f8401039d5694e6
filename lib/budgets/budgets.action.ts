"use server";
// The Team page's budget forms. Each resolves the session and the role itself (teamAction):
// owners and admins only; another team's connection is "not found".
import { revalidatePath } from "next/cache";
import { teamAction, type ActionResult } from "@/lib/actions";
import { db } from "@/lib/db/client";
import { connectionBudgetInput, teamBudgetInput } from "./budgets.schema";
import { setConnectionBudget, setTeamBudget } from "./settings";

const saveTeam = teamAction(teamBudgetInput, "ADMIN", async (input, ctx) => {
  await setTeamBudget(await db(), ctx, input);
  revalidatePath("/team");
  revalidatePath("/overview");
});
export async function saveTeamBudgetAction(_prev: unknown, formData: FormData): Promise<ActionResult<void>> {
  return saveTeam(formData);
}

const saveConnection = teamAction(connectionBudgetInput, "ADMIN", async (input, ctx) => {
  await setConnectionBudget(await db(), ctx, input);
  revalidatePath("/team");
  revalidatePath("/overview");
});
export async function saveConnectionBudgetAction(_prev: unknown, formData: FormData): Promise<ActionResult<void>> {
  return saveConnection(formData);
}
