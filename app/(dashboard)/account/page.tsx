// The signed-in user's own account: change the password (ends every other session) and sign out
// everywhere (ends every session, this one too). See lib/auth/sessions.ts.
import type { Metadata } from "next";
import { getTranslations } from "next-intl/server";
import { requireTeamPage } from "@/lib/auth/context";
import { signOutEverywhereAction } from "@/lib/auth/session.action";
import Link from "next/link";
import { Button, buttonClass } from "@/components/ui/button";
import { Card, CardHeader, PageHeader } from "@/components/ui/card";
import { ChangePasswordForm } from "./change-password-form";

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations("account");
  return { title: t("title") };
}

export default async function AccountPage({ searchParams }: { searchParams: Promise<{ password?: string }> }) {
  const { user } = await requireTeamPage();
  const changed = (await searchParams).password === "changed";
  const t = await getTranslations("account");
  return (
    <>
      <PageHeader
        title={t("title")}
        description={t.rich("signedInAs", { name: user.name, email: user.email, b: (chunks) => <span className="font-medium text-slate-700">{chunks}</span> })}
      />
      <div className="grid max-w-3xl gap-6">
        <Card>
          <CardHeader
            title={t("notifications.title")}
            description={t("notifications.description")}
            actions={
              <Link href="/account/notifications" className={buttonClass("secondary")}>
                {t("notifications.choose")}
              </Link>
            }
          />
        </Card>
        <Card>
          <CardHeader title={t("password.title")} description={t("password.description")} />
          <div className="px-5 py-5">
            <ChangePasswordForm changed={changed} />
          </div>
        </Card>
        <Card>
          <CardHeader title={t("sessions.title")} description={t("sessions.description")} />
          <div className="flex flex-wrap items-center justify-between gap-4 px-5 py-5">
            <p className="max-w-md text-sm text-slate-600">
              {t("sessions.note")}
            </p>
            <form action={signOutEverywhereAction}>
              <Button type="submit" variant="danger">
                {t("sessions.signOutEverywhere")}
              </Button>
            </form>
          </div>
        </Card>
      </div>
    </>
  );
}
