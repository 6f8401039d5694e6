// A token's spend cap: before a launch, the cost estimate of what the token has launched so far plus
// the new batch's must stay under it. Estimates are the launch form's (lib/pricing: the file's
// tokens, the team's prices over the built-in table, DEFAULT_ASSUMED_OUTPUT for requests without
// max_tokens), in USD; a model without a USD price cannot be held to a cap, so it is refused.
import "server-only";
import type { Db } from "@/lib/db/client";
import { UserError } from "@/lib/errors";
import { connectionCost, DEFAULT_ASSUMED_OUTPUT, formatMoney } from "@/lib/pricing/cost";
import { findPrice } from "@/lib/pricing/match";
import { teamPrices } from "@/lib/pricing/prices";
import { fileTokens } from "@/lib/tokens/file";

interface Launch {
  fileId: string;
  kind: string;
  window: string;
}

/** USD a launch of the file on a connection of this kind is estimated to cost; throws when a model has no USD price. */
async function estimateUsd(prisma: Db, teamId: string, l: Launch, own: Awaited<ReturnType<typeof teamPrices>>, label: string): Promise<number> {
  const tokens = await fileTokens(prisma, teamId, l.fileId);
  const prices = tokens.models.map((m) => ({ model: m.model, price: m.model ? findPrice(own, l.kind, m.model, l.window) : null }));
  const cost = connectionCost(tokens.models, { prices }, DEFAULT_ASSUMED_OUTPUT);
  const other = cost.amounts.find((a) => a.currency !== "USD");
  if (cost.missing.length || other) {
    const what = cost.missing.length ? `no price for ${cost.missing.map((m) => m ?? "(no model)").join(", ")}` : `prices in ${other!.currency}`;
    throw new UserError(`This token has a spend cap, but ${label} has ${what} on this provider, so its cost cannot be checked against the cap. An admin can add a USD price on the Prices page.`);
  }
  return cost.amounts.reduce((s, a) => s + a.total, 0);
}

/** Refuses (UserError, naming the figures) a launch that would take the token's estimated spend past its cap. */
export async function checkSpendCap(prisma: Db, token: { id: string; spendCapUsd: number | null }, teamId: string, next: Launch) {
  if (token.spendCapUsd === null) return;
  const own = await teamPrices(prisma, teamId);
  const earlier = await prisma.batch.findMany({
    where: { apiTokenId: token.id, teamId },
    select: { id: true, jobId: true, inputFileId: true, completionWindow: true, connection: { select: { kind: true } } },
  });
  // A job's parts are one launch of the whole file.
  const launches = new Map<string, Launch>();
  for (const b of earlier) launches.set(b.jobId ?? b.id, { fileId: b.inputFileId, kind: b.connection.kind, window: b.completionWindow });
  let spent = 0;
  for (const l of launches.values()) spent += await estimateUsd(prisma, teamId, l, own, "an earlier batch's file").catch(() => 0);
  const cost = await estimateUsd(prisma, teamId, next, own, "this file");
  if (spent + cost > token.spendCapUsd) {
    throw new UserError(
      `This batch is estimated at ${formatMoney(cost, "USD")}; with the ${formatMoney(spent, "USD")} estimated for what this token launched before, that is over its spend cap of ${formatMoney(token.spendCapUsd, "USD")}.`,
    );
  }
}
