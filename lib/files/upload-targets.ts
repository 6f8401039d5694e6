// The upload panel's "Check for" choices: each connection of the team with the limits a file is
// checked against when it is uploaded for it (a custom connection's own limits, when the team set
// them), as upload.ts applies them for ?connection=. Read by the Files page and handed to the panel
// as props; connections of a kind this version does not know are left out.
import "server-only";
import type { Db } from "@/lib/db/client";
import type { TeamContext } from "@/lib/auth/context";
import { listConnections } from "@/lib/providers/connections";
import { effectiveProfile } from "@/lib/providers/connections.limits";
import { jobLimitsFor, profiles, uploadLimitsFor, type FileSizeLimits } from "@/lib/providers/profiles";
import type { ProviderLimits } from "@/lib/providers/profile";

/**
 * The limits the panel states and checks a file's size against before sending it: one batch's, and
 * where the target can split, what a file launched as a job of parts may hold (profiles.ts jobLimitsFor).
 */
export type UploadLimitsView = Pick<ProviderLimits, "maxFileBytes" | "maxRequests" | "maxLineBytes"> & { job: FileSizeLimits | null };

export interface UploadTarget extends UploadLimitsView {
  id: string;
  name: string;
  /** The provider's label ("Moonshot / Kimi"). */
  label: string;
  endpoints: string[];
  /** The provider's rule for file names, in words; null when it has none. */
  fileNameRule: string | null;
}

export async function uploadTargets(prisma: Db, ctx: TeamContext): Promise<UploadTarget[]> {
  const rows = await listConnections(prisma, ctx);
  return rows.flatMap((c) => {
    if (!profiles[c.kind]) return [];
    const p = effectiveProfile(c.kind, c.limits);
    const l = uploadLimitsFor(p);
    return [
      {
        id: c.id,
        name: c.name,
        label: p.label,
        maxFileBytes: l.maxFileBytes,
        maxRequests: l.maxRequests,
        maxLineBytes: l.maxLineBytes,
        job: jobLimitsFor(l, p.capabilities.split),
        endpoints: p.endpoints,
        fileNameRule: l.fileName?.rule ?? null,
      },
    ];
  });
}
