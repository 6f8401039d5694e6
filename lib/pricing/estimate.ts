// The cost of a file before launch, on every connection of the team side by side: the file's tokens
// (lib/tokens) and, per connection, the price of each of its models in the window that connection
// would use (the one chosen in the form when it offers it, else its default).
import "server-only";
import type { Db } from "@/lib/db/client";
import type { TeamContext } from "@/lib/auth/context";
import { NotFoundError } from "@/lib/errors";
import { listConnections } from "@/lib/providers/connections";
import { effectiveProfile } from "@/lib/providers/connections.limits";
import { profiles } from "@/lib/providers/profiles";
import { acceptsWindow } from "@/lib/providers/windows";
import { fileTokens, type CountOptions, type FileTokens } from "@/lib/tokens/file";
import { findPrice, type PriceMatch } from "./match";
import { teamPrices } from "./prices";
import { DEFAULT_ASSUMED_OUTPUT } from "./cost";

export interface ConnectionEstimate {
  id: string;
  name: string;
  kind: string;
  providerLabel: string;
  /** Runs on the sandbox's imitation of the provider: the prices are the real provider's. */
  imitation: boolean;
  /** The window priced: the one asked for, or this connection's default when it does not offer it. */
  window: string;
  windowNote?: string;
  prices: { model: string | null; price: PriceMatch | null }[];
}

export interface CostEstimate {
  file: { id: string; name: string; endpoint: string; requests: number };
  tokens: FileTokens;
  /** Output is produced (chat, responses, completions): not for embeddings and moderations. */
  hasOutput: boolean;
  defaultAssumedOutput: number;
  connections: ConnectionEstimate[];
  selectedConnectionId?: string;
}

export async function estimateFileCost(
  prisma: Db,
  ctx: TeamContext,
  input: { fileId: string; window?: string; connectionId?: string },
  opts: CountOptions = {},
): Promise<CostEstimate> {
  const file = await prisma.inputFile.findFirst({ where: { id: input.fileId, teamId: ctx.team.id }, select: { id: true, name: true, endpoint: true, requestCount: true } });
  if (!file) throw new NotFoundError("That file");
  const [tokens, connections, own] = await Promise.all([fileTokens(prisma, ctx.team.id, file.id, opts), listConnections(prisma, ctx), teamPrices(prisma, ctx.team.id)]);
  const out: ConnectionEstimate[] = connections
    .filter((c) => profiles[c.kind])
    .map((c) => {
      const p = effectiveProfile(c.kind, c.limits, { name: c.name });
      const asked = input.window ?? "";
      const window = asked && acceptsWindow(p, asked) ? asked : (p.completionWindows[0] ?? "24h");
      return {
        id: c.id,
        name: c.name,
        kind: c.kind,
        providerLabel: profiles[c.kind].label,
        imitation: c.imitation,
        window,
        windowNote: asked && window !== asked ? `${asked} is not offered: priced at ${window}` : undefined,
        prices: tokens.models.map((m) => ({ model: m.model, price: m.model ? findPrice(own, c.kind, m.model, window) : null })),
      };
    });
  // The connection chosen in the form first.
  out.sort((a, b) => Number(b.id === input.connectionId) - Number(a.id === input.connectionId));
  return {
    file: { id: file.id, name: file.name, endpoint: file.endpoint, requests: file.requestCount },
    tokens,
    hasOutput: !["/v1/embeddings", "/v1/moderations"].includes(file.endpoint),
    defaultAssumedOutput: DEFAULT_ASSUMED_OUTPUT,
    connections: out,
    selectedConnectionId: input.connectionId,
  };
}
