"use client";
import { useActionState } from "react";
import { revokeInviteAction } from "@/lib/teams/invites.action";
import { Button } from "@/components/ui/button";

export function RevokeInviteButton({ inviteId }: { inviteId: string }) {
  const [state, action, pending] = useActionState(revokeInviteAction, null);
  return (
    <form action={action} className="flex items-center gap-2">
      <input type="hidden" name="inviteId" value={inviteId} />
      {state && !state.ok && (
        <span role="alert" className="text-xs text-red-600">
          {state.message}
        </span>
      )}
      <Button type="submit" variant="danger" size="sm" disabled={pending}>
        {pending ? "Revoking…" : "Revoke"}
      </Button>
    </form>
  );
}
