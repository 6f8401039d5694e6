// A personal team's name as made at sign-up ("Ada's team"), and how a page shows it: while it is still
// that default, in the reader's language ("Ada的团队"); a name a person gave it stays as it is.
// Browser-safe.

/** The name a new personal team gets; stored in English, worded again at render (shell.personalTeam). */
export const defaultTeamName = (userName: string) => `${userName}'s team`;

/** The owner's name when the team is personal and keeps its default name, else null. */
export function personalTeamOwner(team: { name: string; personal?: boolean }): string | null {
  if (!team.personal) return null;
  const m = /^(.+)'s team$/s.exec(team.name);
  return m ? m[1] : null;
}

/** The team's name for a page, given the shell's translator. */
export function teamNameFor(team: { name: string; personal?: boolean }, t: (key: "personalTeam", values: { name: string }) => string): string {
  const owner = personalTeamOwner(team);
  return owner === null ? team.name : t("personalTeam", { name: owner });
}
