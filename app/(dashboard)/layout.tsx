import Link from "next/link";
import { requireTeamPage } from "@/lib/auth/context";
import { signOutAction } from "@/lib/auth/session.action";
import { roleLabel } from "@/lib/auth/roles";
import { NavLinks } from "@/components/layout/nav-links";
import { TeamSwitcher } from "@/components/layout/team-switcher";
import { Providers } from "@/components/layout/providers";

export default async function DashboardLayout({ children }: { children: React.ReactNode }) {
  const { user, team, role, teams } = await requireTeamPage();
  return (
    <div className="flex min-h-full">
      <aside className="sticky top-0 flex h-screen w-60 shrink-0 flex-col gap-6 bg-slate-900 px-4 py-5">
        <Link href="/batches" className="flex items-center gap-2 px-1 text-white">
          <span className="grid h-7 w-7 place-items-center rounded-md bg-brand-500 text-sm font-bold">B</span>
          <span className="text-base font-semibold tracking-tight">Batchboard</span>
        </Link>
        <TeamSwitcher teams={teams} current={team.id} />
        <NavLinks />
        <div className="mt-auto border-t border-slate-800 pt-4">
          <p className="truncate text-sm font-medium text-white" title={user.email}>
            {user.name}
          </p>
          <p className="truncate text-xs text-slate-400">
            {user.email} · {roleLabel[role]}
          </p>
          <form action={signOutAction} className="mt-3">
            <button type="submit" className="text-xs font-medium text-slate-300 hover:text-white">
              Sign out
            </button>
          </form>
        </div>
      </aside>
      <main className="min-w-0 flex-1 px-8 py-8">
        <Providers>
          <div className="mx-auto max-w-6xl">{children}</div>
        </Providers>
      </main>
    </div>
  );
}
