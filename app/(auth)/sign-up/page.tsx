// Create an account, as the server's sign-up policy allows (SIGN_UP, lib/auth/sign-up.ts): where the
// policy refuses, the page says so and why, with the way in that is left, instead of a form that
// would fail.
import type { Metadata } from "next";
import Link from "next/link";
import { redirect } from "next/navigation";
import { currentUser } from "@/lib/auth/context";
import { signUpGate, SignUpClosedError } from "@/lib/auth/sign-up";
import { db } from "@/lib/db/client";
import { settings } from "@/lib/env";
import { inviteProblemTitle } from "@/lib/teams/invites";
import { buttonClass } from "@/components/ui/button";
import { AuthHeading, InviteNotice } from "../auth-form-parts";
import { SignUpForm } from "./sign-up-form";

export const metadata: Metadata = { title: "Create an account" };

const firstAccountNote = {
  open: null,
  invite: "After it, new people join with an invite link from a team admin.",
  closed: "After it, this server takes no new sign-ups.",
} as const;

export default async function SignUpPage({ searchParams }: { searchParams: Promise<{ invite?: string | string[] }> }) {
  const { invite: raw } = await searchParams;
  const invite = typeof raw === "string" && raw ? raw : undefined;
  if (await currentUser()) redirect(invite ? `/invite/${encodeURIComponent(invite)}` : "/overview");
  const policy = settings().SIGN_UP;
  const gate = await signUpGate(await db(), policy, invite);
  const pending = gate.invite?.state === "pending" ? gate.invite : null;

  if (gate.refusal) {
    const r = gate.refusal;
    const title = !(r instanceof SignUpClosedError)
      ? inviteProblemTitle[r.state]
      : r.policy === "invite"
        ? "Sign-up is by invitation"
        : "Sign-up is closed";
    return (
      <>
        <AuthHeading title={title} />
        <p className="text-sm text-slate-600" role="status">
          {r.message}
        </p>
        {pending && (
          <p className="mt-3 text-sm text-slate-600">
            If you already have an account, sign in to join <strong className="font-semibold">{pending.team.name}</strong>.
          </p>
        )}
        <Link href={`/sign-in${pending ? `?invite=${encodeURIComponent(invite!)}` : ""}`} className={buttonClass("primary") + " mt-6 w-full"}>
          {pending ? `Sign in and join ${pending.team.name}` : "Sign in"}
        </Link>
      </>
    );
  }

  return (
    <>
      <AuthHeading
        title="Create your account"
        description="You get a personal team with a built-in Sandbox provider, so you can try a batch right away."
      />
      {pending && <InviteNotice teamName={pending.team.name} />}
      {gate.first && firstAccountNote[policy] && (
        <p className="mb-5 rounded-md bg-slate-50 px-3 py-2 text-sm text-slate-600 ring-1 ring-inset ring-slate-200">
          This is the first account on this Batchboard. {firstAccountNote[policy]}
        </p>
      )}
      <SignUpForm invite={invite} />
    </>
  );
}
