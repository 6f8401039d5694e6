// Create an account, as the server's sign-up policy allows (SIGN_UP, lib/auth/sign-up.ts): where the
// policy refuses, the page says so and why, with the way in that is left, instead of a form that
// would fail.
import type { Metadata } from "next";
import { getTranslations } from "next-intl/server";
import Link from "next/link";
import { redirect } from "next/navigation";
import { currentUser } from "@/lib/auth/context";
import { signUpGate, SignUpClosedError } from "@/lib/auth/sign-up";
import { db } from "@/lib/db/client";
import { settings } from "@/lib/env";
import { buttonClass } from "@/components/ui/button";
import { AuthHeading, InviteNotice } from "../auth-form-parts";
import { SignUpForm } from "./sign-up-form";

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations("auth.signUp");
  return { title: t("metaTitle") };
}

export default async function SignUpPage({ searchParams }: { searchParams: Promise<{ invite?: string | string[] }> }) {
  const { invite: raw } = await searchParams;
  const t = await getTranslations("auth");
  const invite = typeof raw === "string" && raw ? raw : undefined;
  if (await currentUser()) redirect(invite ? `/invite/${encodeURIComponent(invite)}` : "/overview");
  const policy = settings().SIGN_UP;
  const gate = await signUpGate(await db(), policy, invite);
  const pending = gate.invite?.state === "pending" ? gate.invite : null;

  if (gate.refusal) {
    const r = gate.refusal;
    const title = !(r instanceof SignUpClosedError)
      ? t(`inviteProblemTitle.${r.state}`)
      : r.policy === "invite"
        ? t("signUp.byInvitation")
        : t("signUp.closed");
    const message = !(r instanceof SignUpClosedError) ? t(`inviteProblem.${r.state}`) : t(`signUp.closedMessage.${r.policy}`);
    return (
      <>
        <AuthHeading title={title} />
        <p className="text-sm text-slate-600" role="status">
          {message}
        </p>
        {pending && (
          <p className="mt-3 text-sm text-slate-600">
            {t.rich("signUp.signInToJoinNote", { team: pending.team.name, strong: (chunks) => <strong className="font-semibold">{chunks}</strong> })}
          </p>
        )}
        <Link href={`/sign-in${pending ? `?invite=${encodeURIComponent(invite!)}` : ""}`} className={buttonClass("primary") + " mt-6 w-full"}>
          {pending ? t("signUp.signInAndJoin", { team: pending.team.name }) : t("signUp.signIn")}
        </Link>
      </>
    );
  }

  return (
    <>
      <AuthHeading
        title={t("signUp.title")}
        description={t("signUp.description")}
      />
      {pending && <InviteNotice teamName={pending.team.name} />}
      {gate.first && policy !== "open" && (
        <p className="mb-5 rounded-md bg-slate-50 px-3 py-2 text-sm text-slate-600 ring-1 ring-inset ring-slate-200">
          {t("signUp.firstAccount")} {t(`signUp.firstAccountNote.${policy}`)}
        </p>
      )}
      <SignUpForm invite={invite} />
    </>
  );
}
