// The current team's name for a server component, in the request's language (name.ts).
import "server-only";
import { getTranslations } from "next-intl/server";
import { teamNameFor } from "./name";

export async function teamDisplayName(team: { name: string; personal?: boolean }): Promise<string> {
  const t = await getTranslations("shell");
  return teamNameFor(team, (key, values) => t(key, values));
}
