import type { Metadata } from "next";
import { getTranslations } from "next-intl/server";
import { redirect } from "next/navigation";
import { currentTeam, currentUser } from "@/lib/auth/context";
import { signUpGate } from "@/lib/auth/sign-up";
import { db } from "@/lib/db/client";
import { settings } from "@/lib/env";
import { AuthHeading, InviteNotice } from "../auth-form-parts";
import { SignInForm } from "./sign-in-form";
import { NoTeam } from "./no-team";

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations("auth.signIn");
  return { title: t("metaTitle") };
}

export default async function SignInPage({ searchParams }: { searchParams: Promise<{ invite?: string | string[] }> }) {
  const { invite: raw } = await searchParams;
  const t = await getTranslations("auth");
  const invite = typeof raw === "string" && raw ? raw : undefined;
  const user = await currentUser();
  if (user && invite) redirect(`/invite/${encodeURIComponent(invite)}`);
  if (user && (await currentTeam())) redirect("/overview");
  if (user) {
    // Removed from every team: the dashboard would send them here again, so offer a way out.
    return (
      <>
        <AuthHeading title={t("noTeam.title")} />
        <NoTeam name={user.name} />
      </>
    );
  }
  const policy = settings().SIGN_UP;
  const gate = await signUpGate(await db(), policy, invite);
  return (
    <>
      <AuthHeading title={t("signIn.title")} description={t("signIn.welcome")} />
      {gate.invite?.state === "pending" && <InviteNotice teamName={gate.invite.team.name} />}
      <SignInForm invite={invite} newAccount={gate.refusal ? policy : "open"} />
    </>
  );
}
