"use client";
import { useActionState } from "react";
import { acceptInviteAction } from "@/lib/teams/invites.action";
import { Button } from "@/components/ui/button";
import { FormMessage } from "@/components/ui/field";

export function JoinForm({ token, teamName, userLabel }: { token: string; teamName: string; userLabel: string }) {
  const [state, action, pending] = useActionState(acceptInviteAction, null);
  return (
    <form action={action} className="space-y-4">
      <input type="hidden" name="token" value={token} />
      <FormMessage message={state?.message} />
      <p className="text-sm text-slate-500">
        Signed in as <span className="font-medium text-slate-700">{userLabel}</span>.
      </p>
      <Button type="submit" className="w-full" disabled={pending}>
        {pending ? "Joining…" : `Join ${teamName}`}
      </Button>
    </form>
  );
}
