"use client";
import { useActionState } from "react";
import { createTeamAction } from "@/lib/teams/members.action";
import { signOutAction } from "@/lib/auth/session.action";
import { Button } from "@/components/ui/button";
import { Field, Input } from "@/components/ui/field";

/** For a signed-in user who was removed from every team: start a new one (or sign out). */
export function NoTeam({ name }: { name: string }) {
  const [state, action, pending] = useActionState(createTeamAction, null);
  const fe = state && !state.ok ? (state.fieldErrors ?? { name: state.message }) : {};
  return (
    <div className="space-y-4">
      <p className="text-sm text-slate-600">
        {name}, you are not in any team right now. Ask a team admin for an invite link, or start a team of your own.
      </p>
      <form action={action} className="space-y-3" noValidate>
        <Field label="Team name" name="name" error={fe.name}>
          <Input name="name" placeholder="e.g. Research" maxLength={60} error={fe.name} />
        </Field>
        <Button type="submit" className="w-full" disabled={pending}>
          Create team
        </Button>
      </form>
      <form action={signOutAction}>
        <Button type="submit" variant="ghost" className="w-full">
          Sign out
        </Button>
      </form>
    </div>
  );
}
