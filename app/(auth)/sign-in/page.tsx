import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { currentTeam, currentUser } from "@/lib/auth/context";
import { db } from "@/lib/db/client";
import { lookupInvite } from "@/lib/teams/invites";
import { AuthHeading, InviteNotice } from "../auth-form-parts";
import { SignInForm } from "./sign-in-form";
import { NoTeam } from "./no-team";

export const metadata: Metadata = { title: "Sign in" };

export default async function SignInPage({ searchParams }: { searchParams: Promise<{ invite?: string | string[] }> }) {
  const { invite: raw } = await searchParams;
  const invite = typeof raw === "string" && raw ? raw : undefined;
  const user = await currentUser();
  if (user && invite) redirect(`/invite/${encodeURIComponent(invite)}`);
  if (user && (await currentTeam())) redirect("/batches");
  if (user) {
    // Removed from every team: the dashboard would send them here again, so offer a way out.
    return (
      <>
        <AuthHeading title="No team yet" />
        <NoTeam name={user.name} />
      </>
    );
  }
  const found = invite ? await lookupInvite(await db(), invite) : null;
  return (
    <>
      <AuthHeading title="Sign in to Batchboard" description="Welcome back." />
      {found?.state === "pending" && <InviteNotice teamName={found.team.name} />}
      <SignInForm invite={invite} />
    </>
  );
}
