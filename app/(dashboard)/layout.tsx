// The signed-in shell: the logo, the team switcher, the navigation and the account, beside the page
// (above it on a phone). Every page under it resolves the session and the team itself.
import Image from "next/image";
import Link from "next/link";
import { requireTeamPage } from "@/lib/auth/context";
import { signOutAction } from "@/lib/auth/session.action";
import { can, roleLabel } from "@/lib/auth/roles";
import { db } from "@/lib/db/client";
import { readInbox } from "@/lib/notify/inbox";
import { NavLinks } from "@/components/layout/nav-links";
import { NotificationBell } from "@/components/layout/notification-bell";
import { TeamSwitcher } from "@/components/layout/team-switcher";
import { Providers } from "@/components/layout/providers";
import { LanguageSwitch, ThemeSwitch } from "@/components/layout/preferences";
import { preferences } from "@/lib/i18n/preferences";

export default async function DashboardLayout({ children }: { children: React.ReactNode }) {
  const { user, team, role, teams } = await requireTeamPage();
  const [inbox, { theme }] = await Promise.all([readInbox(await db(), user.id, team.id), preferences()]);
  // A sidebar from md up; above the page on a phone, where a 240 px column would leave the page 150 px.
  return (
    <div className="flex min-h-full flex-col md:flex-row">
      <aside className="flex w-full flex-col gap-4 bg-slate-900 px-4 py-4 md:sticky md:top-0 md:h-screen md:w-60 md:shrink-0 md:gap-6 md:py-5">
        <div className="flex items-center justify-between gap-2">
          <Link href="/overview" className="flex items-center gap-2 px-1 text-white">
            <Image src="/logo.svg" alt="" width={28} height={28} className="h-7 w-7" loading="eager" />
            <span className="text-base font-semibold tracking-tight">Batchboard</span>
          </Link>
          <NotificationBell key={team.id} initial={inbox} />
        </div>
        <TeamSwitcher teams={teams} current={team.id} />
        <NavLinks admin={can.manage(role)} />
        <div className="border-t border-slate-800 pt-4 md:mt-auto">
          <p className="truncate text-sm font-medium text-white" title={user.email}>
            {user.name}
          </p>
          <p className="truncate text-xs text-slate-400">
            {user.email} · {roleLabel[role]}
          </p>
          <div className="mt-3 flex items-center gap-4">
            <Link href="/account" className="text-xs font-medium text-slate-300 hover:text-white">
              Account
            </Link>
            <form action={signOutAction}>
              <button type="submit" className="text-xs font-medium text-slate-300 hover:text-white">
                Sign out
              </button>
            </form>
          </div>
          <div className="mt-3 flex flex-wrap items-center gap-2">
            <LanguageSwitch />
            <ThemeSwitch current={theme} />
          </div>
        </div>
      </aside>
      <main className="min-w-0 flex-1 px-4 py-6 md:px-8 md:py-8">
        <Providers>
          <div className="mx-auto max-w-6xl">{children}</div>
        </Providers>
      </main>
    </div>
  );
}
