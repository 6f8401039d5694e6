// The endpoints a file can be uploaded for: every one some provider profile accepts, chat first
// (the default choice).
import { profiles } from "@/lib/providers/profiles";

export function uploadEndpoints(): string[] {
  const all = new Set<string>(["/v1/chat/completions"]);
  for (const p of Object.values(profiles)) for (const e of p.endpoints) all.add(e);
  return [...all];
}
