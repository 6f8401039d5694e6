"use client";
import { useTranslations } from "next-intl";
import { switchTeamAction } from "@/lib/auth/session.action";
import { teamNameFor } from "@/lib/teams/name";

export function TeamSwitcher({ teams, current }: { teams: { id: string; name: string; personal?: boolean }[]; current: string }) {
  const t = useTranslations("shell");
  const shell = (key: "personalTeam", values: { name: string }) => t(key, values);
  return (
    <form action={switchTeamAction}>
      <label htmlFor="teamId" className="mb-1 block text-[11px] font-medium uppercase tracking-wide text-ink-400">
        {t("team")}
      </label>
      <select
        id="teamId"
        name="teamId"
        defaultValue={current}
        onChange={(e) => e.currentTarget.form?.requestSubmit()}
        className="block w-full rounded-md border-0 bg-ink-800 px-2.5 py-1.5 text-sm text-ink-50 ring-1 ring-ink-700 focus:ring-2 focus:ring-brand-500"
      >
        {teams.map((t) => (
          <option key={t.id} value={t.id}>
            {teamNameFor(t, shell)}
          </option>
        ))}
      </select>
    </form>
  );
}
