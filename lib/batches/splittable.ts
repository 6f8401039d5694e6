// Whether a file a provider refuses as one batch could be launched as a job of parts instead: the
// launch form's rule for offering a split (components/jobs/split-plan.tsx asks the server for the
// plan only then). Pure and browser-safe: it reads the provider's profile and the file's facts, not
// its lines; the cuts themselves are split.ts's (server-side, it walks the stored requests).
import type { ProviderProfile } from "@/lib/providers/profile";
import { checkFileForProfile, type FileFacts } from "@/lib/providers/checks";

/** Whether splitting the file into parts would make every problem the profile finds go away. */
export function splitCanFix(p: ProviderProfile, f: FileFacts): boolean {
  if (!p.capabilities.split || checkFileForProfile(p, f).length === 0) return false;
  // The file as one part of one model: anything still wrong then, no split fixes.
  const groups = p.limits.oneModelPerBatch ? f.models.map((m) => [m]) : [f.models];
  return groups.every((models) => checkFileForProfile(p, { endpoint: f.endpoint, requestCount: 1, models }).length === 0);
}
