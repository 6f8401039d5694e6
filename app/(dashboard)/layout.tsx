// The signed-in shell: the logo, the team switcher, the navigation, the theme and the account in a
// sidebar beside the page, or behind a Menu button in a bar above it below lg (components/layout/
// shell-nav.tsx). Every page under it resolves the session and the team itself.
import Image from "next/image";
import Link from "next/link";
import { getTranslations } from "next-intl/server";
import { requireTeamPage } from "@/lib/auth/context";
import { signOutAction } from "@/lib/auth/session.action";
import { can } from "@/lib/auth/roles";
import { db } from "@/lib/db/client";
import { readInbox } from "@/lib/notify/inbox";
import { NavLinks } from "@/components/layout/nav-links";
import { NotificationBell } from "@/components/layout/notification-bell";
import { ShellNav } from "@/components/layout/shell-nav";
import { TeamSwitcher } from "@/components/layout/team-switcher";
import { Providers } from "@/components/layout/providers";
import { LanguageSwitch, ThemeSwitch } from "@/components/layout/preferences";
import { preferences } from "@/lib/i18n/preferences";

export default async function DashboardLayout({ children }: { children: React.ReactNode }) {
  const { user, team, role, teams } = await requireTeamPage();
  const [inbox, { theme }, t] = await Promise.all([readInbox(await db(), user.id, team.id), preferences(), getTranslations("shell")]);
  return (
    <div className="min-h-full lg:flex">
      <ShellNav
        brand={
          <Link href="/overview" className="flex items-center gap-2 px-1 text-ink-50">
            <Image src="/logo.svg" alt="" width={28} height={28} className="h-7 w-7" loading="eager" />
            <span className="text-base font-semibold tracking-tight">Batchboard</span>
          </Link>
        }
        bell={<NotificationBell key={team.id} initial={inbox} />}
      >
        <TeamSwitcher teams={teams} current={team.id} />
        <NavLinks admin={can.manage(role)} />
        <div className="space-y-4 border-t border-ink-800 pt-4 lg:mt-auto">
          <div>
            <p className="truncate text-sm font-medium text-ink-50" title={user.email}>
              {user.name}
            </p>
            <p className="truncate text-xs text-ink-400">
              {user.email} · {t(`roles.${role}`)}
            </p>
            <div className="mt-3 flex items-center gap-4">
              <Link href="/account" className="text-xs font-medium text-ink-300 hover:text-ink-50">
                {t("account")}
              </Link>
              <form action={signOutAction}>
                <button type="submit" className="text-xs font-medium text-ink-300 hover:text-ink-50">
                  {t("signOut")}
                </button>
              </form>
            </div>
          </div>
          <div className="grid gap-2">
            <LanguageSwitch className="w-full text-ink-300 ring-ink-700" />
            <ThemeSwitch current={theme} className="w-full text-ink-300 ring-ink-700" />
          </div>
        </div>
      </ShellNav>
      <main id="main" className="min-w-0 flex-1 px-4 py-6 sm:px-6 lg:px-8 lg:py-8">
        <Providers>
          <div className="mx-auto max-w-6xl">{children}</div>
        </Providers>
      </main>
    </div>
  );
}
