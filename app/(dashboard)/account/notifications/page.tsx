// What the signed-in member receives in this team, per event type: in the app (the bell) and by email.
import type { Metadata } from "next";
import { getTranslations } from "next-intl/server";
import Link from "next/link";
import { requireTeamPage } from "@/lib/auth/context";
import { db } from "@/lib/db/client";
import { readPreferences } from "@/lib/notify/preferences";
import { Card, CardHeader, PageHeader } from "@/components/ui/card";
import { PreferencesForm } from "./preferences-form";
import { teamDisplayName } from "@/lib/teams/name.server";

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations("account.notifications");
  return { title: t("title") };
}

export default async function NotificationSettingsPage() {
  const ctx = await requireTeamPage();
  const prefs = await readPreferences(await db(), ctx);
  const [t, events] = await Promise.all([getTranslations("account.notifications"), getTranslations("team.events")]);
  // The event types named in the app's language (EVENT_INFO's own words are English), as on Team → Webhooks.
  const rows = prefs.rows.map((r) => ({ ...r, label: events(`${r.type}.label`), description: events(`${r.type}.description`) }));
  return (
    <>
      <PageHeader
        title={t("title")}
        description={t.rich("pageDescription", {
          team: await teamDisplayName(ctx.team),
          b: (chunks) => <span className="font-medium text-slate-700">{chunks}</span>,
          link: (chunks) => (
            <Link href="/account" className="font-medium text-brand-700 hover:underline">
              {chunks}
            </Link>
          ),
        })}
      />
      <Card className="max-w-3xl">
        <CardHeader
          title={t("eventTypes")}
          description={prefs.email ? t("emailOn") : t("emailOff")}
        />
        <PreferencesForm rows={rows} emailEnabled={prefs.email} />
      </Card>
    </>
  );
}
