import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { currentUser } from "@/lib/auth/context";
import { db } from "@/lib/db/client";
import { lookupInvite } from "@/lib/teams/invites";
import { AuthHeading, InviteNotice } from "../auth-form-parts";
import { SignUpForm } from "./sign-up-form";

export const metadata: Metadata = { title: "Create an account" };

export default async function SignUpPage({ searchParams }: { searchParams: Promise<{ invite?: string | string[] }> }) {
  const { invite: raw } = await searchParams;
  const invite = typeof raw === "string" && raw ? raw : undefined;
  if (await currentUser()) redirect(invite ? `/invite/${encodeURIComponent(invite)}` : "/batches");
  const found = invite ? await lookupInvite(await db(), invite) : null;
  return (
    <>
      <AuthHeading
        title="Create your account"
        description="You get a personal team with a built-in Sandbox provider, so you can try a batch right away."
      />
      {found?.state === "pending" && <InviteNotice teamName={found.team.name} />}
      <SignUpForm invite={invite} />
    </>
  );
}
