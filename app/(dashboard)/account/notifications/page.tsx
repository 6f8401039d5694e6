// What the signed-in member receives in this team, per event type: in the app (the bell) and by email.
import type { Metadata } from "next";
import Link from "next/link";
import { requireTeamPage } from "@/lib/auth/context";
import { db } from "@/lib/db/client";
import { readPreferences } from "@/lib/notify/preferences";
import { Card, CardHeader, PageHeader } from "@/components/ui/card";
import { PreferencesForm } from "./preferences-form";

export const metadata: Metadata = { title: "Notifications" };

export default async function NotificationSettingsPage() {
  const ctx = await requireTeamPage();
  const prefs = await readPreferences(await db(), ctx);
  return (
    <>
      <PageHeader
        title="Notifications"
        description={
          <>
            What you receive about <span className="font-medium text-slate-700">{ctx.team.name}</span>. Each team has its own choices;{" "}
            <Link href="/account" className="font-medium text-brand-700 hover:underline">
              back to your account
            </Link>
            .
          </>
        }
      />
      <Card className="max-w-3xl">
        <CardHeader
          title="Event types"
          description={prefs.email ? "In the app shows them under the bell; by email sends each to your address." : "This server has no SMTP settings, so no email is sent: only the app's bell."}
        />
        <PreferencesForm rows={prefs.rows} emailEnabled={prefs.email} />
      </Card>
    </>
  );
}
