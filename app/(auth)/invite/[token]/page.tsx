import type { Metadata } from "next";
import { getFormatter, getTranslations } from "next-intl/server";
import Link from "next/link";
import { currentUser } from "@/lib/auth/context";
import { signUpGate } from "@/lib/auth/sign-up";
import { db } from "@/lib/db/client";
import { settings } from "@/lib/env";
import { lookupInvite } from "@/lib/teams/invites";
import { buttonClass } from "@/components/ui/button";
import { AuthHeading } from "../../auth-form-parts";
import { JoinForm } from "./join-form";

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations("auth.invite");
  return { title: t("metaTitle") };
}

export default async function InvitePage({ params }: { params: Promise<{ token: string }> }) {
  const { token } = await params;
  const [user, found] = await Promise.all([currentUser(), lookupInvite(await db(), token)]);
  const q = `?invite=${encodeURIComponent(token)}`;
  const [t, format] = await Promise.all([getTranslations("auth"), getFormatter()]);

  if (found.state === "unknown" || (found.state !== "pending" && found.acceptedById !== user?.id)) {
    return (
      <>
        <AuthHeading title={t(`inviteProblemTitle.${found.state}`)} />
        <p className="text-sm text-slate-600" role="alert">
          {t(`inviteProblem.${found.state}`)}
        </p>
        <Link href={user ? "/batches" : "/sign-in"} className={buttonClass("secondary") + " mt-6 w-full"}>
          {user ? t("invite.goToBatches") : t("invite.signIn")}
        </Link>
      </>
    );
  }

  if (found.state === "used") {
    // The person who used it comes back to the link: nothing is wrong.
    return (
      <>
        <AuthHeading title={t("invite.youAreIn", { team: found.team.name })} />
        <p className="text-sm text-slate-600">{t("invite.alreadyJoined")}</p>
        <Link href="/batches" className={buttonClass("primary") + " mt-6 w-full"}>
          {t("invite.goToBatches")}
        </Link>
      </>
    );
  }

  // Under SIGN_UP=closed an invite only lets someone who has an account join.
  const canSignUp = !user && !(await signUpGate(await db(), settings().SIGN_UP, token)).refusal;
  return (
    <>
      <p className="mb-1 text-xs font-medium uppercase tracking-wide text-brand-600">{t("invite.metaTitle")}</p>
      <AuthHeading
        title={t("invite.join", { team: found.team.name })}
        description={t.rich("invite.invitedAs", {
          role: found.role,
          strong: (chunks) => <strong className="font-medium text-slate-700">{chunks}</strong>,
        })}
      />
      {user ? (
        <JoinForm token={token} teamName={found.team.name} userLabel={`${user.name} (${user.email})`} />
      ) : (
        <div className="space-y-3">
          {canSignUp ? (
            <Link href={`/sign-up${q}`} className={buttonClass("primary") + " w-full"}>
              {t("invite.createAndJoin")}
            </Link>
          ) : (
            <p className="text-sm text-slate-600">{t("invite.noNewAccounts")}</p>
          )}
          <Link href={`/sign-in${q}`} className={buttonClass(canSignUp ? "secondary" : "primary") + " w-full"}>
            {t("invite.haveAccount")}
          </Link>
        </div>
      )}
      <p className="mt-6 text-center text-xs text-slate-500">
        {t("invite.expires", { date: format.dateTime(found.expiresAt, { dateStyle: "medium" }) })}
      </p>
    </>
  );
}
