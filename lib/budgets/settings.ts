// Setting the team's monthly budget (amount, currency, whether launches beyond it are refused) and a
// connection's. Owners and admins only; every change is audited.
import "server-only";
import type { Db } from "@/lib/db/client";
import type { TeamContext } from "@/lib/auth/context";
import { can } from "@/lib/auth/roles";
import { audit } from "@/lib/audit";
import { NotFoundError, UserError } from "@/lib/errors";
import type { ConnectionBudgetInput, TeamBudgetInput } from "./budgets.schema";

function requireManager(ctx: Pick<TeamContext, "role">) {
  if (!can.manage(ctx.role)) throw new UserError("Only the team's owners and admins can set budgets.");
}

export async function setTeamBudget(prisma: Db, ctx: TeamContext, input: TeamBudgetInput) {
  requireManager(ctx);
  await prisma.team.update({ where: { id: ctx.team.id }, data: { monthlyBudget: input.monthlyBudget, budgetCurrency: input.currency, budgetEnforce: input.enforce } });
  await audit(prisma, { teamId: ctx.team.id, actorId: ctx.user.id, action: "budget.team_set", targetType: "team", targetId: ctx.team.id, data: { ...input } });
}

export async function setConnectionBudget(prisma: Db, ctx: TeamContext, input: ConnectionBudgetInput) {
  requireManager(ctx);
  const own = await prisma.providerConnection.findFirst({ where: { id: input.connectionId, teamId: ctx.team.id }, select: { id: true } });
  if (!own) throw new NotFoundError("That connection");
  await prisma.providerConnection.update({ where: { id: own.id }, data: { monthlyBudget: input.monthlyBudget } });
  await audit(prisma, { teamId: ctx.team.id, actorId: ctx.user.id, action: "budget.connection_set", targetType: "connection", targetId: own.id, data: { monthlyBudget: input.monthlyBudget } });
}
