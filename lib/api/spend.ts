// A token's spend cap, counted as the budgets count (lib/budgets): what each batch the token launched
// came to at the team's prices (BatchUsage, rolled up from its results) once its results are in,
// and, while it runs, the launch form's estimate of it (launchEstimate: the file's tokens,
// max_tokens or DEFAULT_ASSUMED_OUTPUT per request), so that a script cannot pass its cap by
// launching faster than batches end. The new batch's estimate plus that must stay under the cap, in
// USD; a model without a USD price cannot be held to a cap, so it is refused.
import "server-only";
import type { Db } from "@/lib/db/client";
import { sql } from "@/lib/db/sql";
import { UserError } from "@/lib/errors";
import { launchEstimate } from "@/lib/budgets/budgets";
import { formatMoney } from "@/lib/pricing/cost";
import { refreshUsage } from "@/lib/usage/rollup";

interface Launch {
  fileId: string;
  kind: string;
  window: string;
  /** Requests of the file this launch sends (a part of a job); all of them by default. */
  requests?: number;
}

const noPrice = (what: string) =>
  new UserError(`This token has a spend cap, but ${what} has a model without a USD price on this provider, so its cost cannot be checked against the cap. An admin can add a USD price on the Prices page.`);

/** What the token's batches came to (finished) or are estimated to come to (running), in USD. */
export async function tokenSpend(prisma: Db, teamId: string, tokenId: string): Promise<number> {
  await refreshUsage(prisma, teamId);
  const batches = await sql(prisma).query<{ id: string; done: boolean; fileId: string; kind: string; window: string; requests: number; usd: number | null }>(
    `SELECT b."id", b."resultsIngestedAt" IS NOT NULL AS done, b."inputFileId" AS "fileId", c."kind", b."completionWindow" AS "window", b."total" AS requests,
            (SELECT sum(u."cost")::float8 FROM "BatchUsage" u WHERE u."batchId" = b."id" AND u."currency" = 'USD') AS usd
       FROM "Batch" b JOIN "ProviderConnection" c ON c."id" = b."connectionId"
      WHERE b."apiTokenId" = $1 AND b."teamId" = $2`,
    [tokenId, teamId],
  );
  let spent = 0;
  for (const b of batches) {
    if (b.done) spent += Number(b.usd ?? 0);
    else spent += (await launchEstimate(prisma, teamId, { fileId: b.fileId, connectionKind: b.kind, window: b.window, requests: b.requests || undefined }, "USD")) ?? 0;
  }
  return spent;
}

/** Refuses (UserError, naming the figures) a launch that would take the token's spend past its cap. */
export async function checkSpendCap(prisma: Db, token: { id: string; spendCapUsd: number | null }, teamId: string, next: Launch) {
  if (token.spendCapUsd === null) return;
  const cost = await launchEstimate(prisma, teamId, { fileId: next.fileId, connectionKind: next.kind, window: next.window, requests: next.requests }, "USD");
  if (cost === null) throw noPrice("this file");
  const spent = await tokenSpend(prisma, teamId, token.id);
  if (spent + cost > token.spendCapUsd) {
    throw new UserError(
      `This batch is estimated at ${formatMoney(cost, "USD")}; with the ${formatMoney(spent, "USD")} this token's batches have spent or are estimated to spend, that is over its spend cap of ${formatMoney(token.spendCapUsd, "USD")}.`,
    );
  }
}
