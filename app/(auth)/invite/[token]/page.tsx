import type { Metadata } from "next";
import Link from "next/link";
import { currentUser } from "@/lib/auth/context";
import { roleLabel } from "@/lib/auth/roles";
import { signUpGate } from "@/lib/auth/sign-up";
import { db } from "@/lib/db/client";
import { settings } from "@/lib/env";
import { inviteProblem, inviteProblemTitle, lookupInvite } from "@/lib/teams/invites";
import { buttonClass } from "@/components/ui/button";
import { AuthHeading } from "../../auth-form-parts";
import { JoinForm } from "./join-form";

export const metadata: Metadata = { title: "Team invite" };

const roleMeaning = {
  OWNER: "manage everything",
  ADMIN: "manage providers and people, and run batches",
  MEMBER: "upload files and run batches",
  VIEWER: "see batches and results",
} as const;

export default async function InvitePage({ params }: { params: Promise<{ token: string }> }) {
  const { token } = await params;
  const [user, found] = await Promise.all([currentUser(), lookupInvite(await db(), token)]);
  const q = `?invite=${encodeURIComponent(token)}`;

  if (found.state === "unknown" || (found.state !== "pending" && found.acceptedById !== user?.id)) {
    return (
      <>
        <AuthHeading title={inviteProblemTitle[found.state]} />
        <p className="text-sm text-slate-600" role="alert">
          {inviteProblem[found.state]}
        </p>
        <Link href={user ? "/batches" : "/sign-in"} className={buttonClass("secondary") + " mt-6 w-full"}>
          {user ? "Go to your batches" : "Sign in"}
        </Link>
      </>
    );
  }

  if (found.state === "used") {
    // The person who used it comes back to the link: nothing is wrong.
    return (
      <>
        <AuthHeading title={`You are in ${found.team.name}`} />
        <p className="text-sm text-slate-600">You joined this team with this link already.</p>
        <Link href="/batches" className={buttonClass("primary") + " mt-6 w-full"}>
          Go to your batches
        </Link>
      </>
    );
  }

  // Under SIGN_UP=closed an invite only lets someone who has an account join.
  const canSignUp = !user && !(await signUpGate(await db(), settings().SIGN_UP, token)).refusal;
  return (
    <>
      <p className="mb-1 text-xs font-medium uppercase tracking-wide text-brand-600">Team invite</p>
      <AuthHeading
        title={`Join ${found.team.name}`}
        description={
          <>
            You are invited as <strong className="font-medium text-slate-700">{roleLabel[found.role].toLowerCase()}</strong>: you will be
            able to {roleMeaning[found.role]}.
          </>
        }
      />
      {user ? (
        <JoinForm token={token} teamName={found.team.name} userLabel={`${user.name} (${user.email})`} />
      ) : (
        <div className="space-y-3">
          {canSignUp ? (
            <Link href={`/sign-up${q}`} className={buttonClass("primary") + " w-full"}>
              Create an account and join
            </Link>
          ) : (
            <p className="text-sm text-slate-600">This Batchboard does not take new accounts: sign in with the account you have to join.</p>
          )}
          <Link href={`/sign-in${q}`} className={buttonClass(canSignUp ? "secondary" : "primary") + " w-full"}>
            I have an account: sign in and join
          </Link>
        </div>
      )}
      <p className="mt-6 text-center text-xs text-slate-500">
        This link expires on {found.expiresAt.toLocaleDateString("en", { dateStyle: "medium" })}.
      </p>
    </>
  );
}
