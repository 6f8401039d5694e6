// What the batches list's filters offer: the team's connections, the providers they are of, and
// the team's members (who launched what).
import "server-only";
import type { Db } from "@/lib/db/client";
import { profiles } from "@/lib/providers/profiles";

export interface BatchListFilterOptions {
  providers: { kind: string; label: string }[];
  connections: { id: string; name: string }[];
  members: { id: string; name: string }[];
}

export async function batchListFilterOptions(prisma: Db, teamId: string): Promise<BatchListFilterOptions> {
  const [connections, members] = await Promise.all([
    prisma.providerConnection.findMany({ where: { teamId }, select: { id: true, name: true, kind: true }, orderBy: { name: "asc" } }),
    prisma.membership.findMany({ where: { teamId }, select: { user: { select: { id: true, name: true } } }, orderBy: { createdAt: "asc" } }),
  ]);
  const kinds = [...new Set(connections.map((c) => c.kind))];
  return {
    providers: kinds.map((kind) => ({ kind, label: profiles[kind]?.label ?? kind })).sort((a, b) => a.label.localeCompare(b.label)),
    connections: connections.map(({ id, name }) => ({ id, name })),
    members: members.map((m) => m.user),
  };
}
