// The signed-in user's own account: change the password (ends every other session) and sign out
// everywhere (ends every session, this one too). See lib/auth/sessions.ts.
import type { Metadata } from "next";
import { requireTeamPage } from "@/lib/auth/context";
import { signOutEverywhereAction } from "@/lib/auth/session.action";
import Link from "next/link";
import { Button, buttonClass } from "@/components/ui/button";
import { Card, CardHeader, PageHeader } from "@/components/ui/card";
import { ChangePasswordForm } from "./change-password-form";

export const metadata: Metadata = { title: "Account" };

export default async function AccountPage({ searchParams }: { searchParams: Promise<{ password?: string }> }) {
  const { user } = await requireTeamPage();
  const changed = (await searchParams).password === "changed";
  return (
    <>
      <PageHeader
        title="Account"
        description={
          <>
            Signed in as <span className="font-medium text-slate-700">{user.name}</span> ({user.email}).
          </>
        }
      />
      <div className="grid max-w-3xl gap-6">
        <Card>
          <CardHeader
            title="Notifications"
            description="Batches that end, jobs that finish, budget warnings: choose what reaches you in the app and by email."
            actions={
              <Link href="/account/notifications" className={buttonClass("secondary")}>
                Choose
              </Link>
            }
          />
        </Card>
        <Card>
          <CardHeader title="Password" description="Changing it signs out every other browser and device; this one stays signed in." />
          <div className="px-5 py-5">
            <ChangePasswordForm changed={changed} />
          </div>
        </Card>
        <Card>
          <CardHeader title="Sessions" description="Each browser you signed in with stays signed in for 30 days." />
          <div className="flex flex-wrap items-center justify-between gap-4 px-5 py-5">
            <p className="max-w-md text-sm text-slate-600">
              Lost a device, or signed in on a shared computer? End every session of your account at once, this one included.
            </p>
            <form action={signOutEverywhereAction}>
              <Button type="submit" variant="danger">
                Sign out everywhere
              </Button>
            </form>
          </div>
        </Card>
      </div>
    </>
  );
}
