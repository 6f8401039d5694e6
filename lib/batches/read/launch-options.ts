// What the launch form offers: the team's files that passed validation, and its connections with
// the endpoints and completion windows each one's effective profile allows.
import "server-only";
import type { Db } from "@/lib/db/client";
import { isBuiltInKind, profiles } from "@/lib/providers/profiles";
import { effectiveProfile } from "@/lib/providers/connections.limits";
import { readConnectionLimits } from "@/lib/providers/connections.limits.read";
import { effectiveQueueLimits, parseQueueLimits, type EffectiveQueueLimits } from "@/lib/providers/queue-limits";

export async function launchOptions(prisma: Db, teamId: string) {
  const [files, connections] = await Promise.all([
    prisma.inputFile.findMany({
      where: { teamId, status: "valid" },
      orderBy: { createdAt: "desc" },
      take: 200,
      select: { id: true, name: true, endpoint: true, models: true, requestCount: true, bytes: true, createdAt: true, sha256: true },
    }),
    prisma.providerConnection.findMany({
      where: { teamId },
      orderBy: { createdAt: "asc" },
      select: { id: true, name: true, kind: true, limits: true, queueLimits: true },
    }),
  ]);
  // The sandbox comes first: it is the one a new user can launch on without a key.
  connections.sort((a, b) => Number(isBuiltInKind(b.kind)) - Number(isBuiltInKind(a.kind)));
  // One entry per content: the same bytes uploaded twice before uploads were de-duplicated (lib/files/
  // duplicates.ts) are offered once, as their newest upload.
  const seen = new Set<string>();
  const distinct = files.filter((f) => !f.sha256 || (!seen.has(`${f.sha256} ${f.endpoint}`) && seen.add(`${f.sha256} ${f.endpoint}`)));
  return {
    // bytes as a number: the form explains a file over a byte limit (BigInt does not cross to the browser).
    files: distinct.map(({ sha256: _sha, ...f }) => ({ ...f, bytes: Number(f.bytes), createdAt: f.createdAt.toISOString() })),
    connections: connections.map(({ queueLimits, ...c }) => {
      if (!profiles[c.kind]) return { ...c, limits: null, queue: null as EffectiveQueueLimits | null, providerLabel: c.kind, endpoints: [], completionWindows: ["24h"] };
      // A custom connection's own limits (checked again as read); the form builds the same effective profile.
      const limits = readConnectionLimits(c);
      const p = effectiveProfile(c.kind, limits, { name: c.name });
      return {
        ...c,
        limits,
        // What may run at once (the form says a batch over it waits instead of failing).
        queue: effectiveQueueLimits(c.kind, parseQueueLimits(c.kind, queueLimits)) as EffectiveQueueLimits | null,
        providerLabel: profiles[c.kind].label,
        endpoints: p.endpoints,
        completionWindows: p.completionWindows,
      };
    }),
  };
}

export type LaunchOptions = Awaited<ReturnType<typeof launchOptions>>;
