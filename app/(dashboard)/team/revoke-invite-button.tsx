"use client";
import { revokeInviteAction } from "@/lib/teams/invites.action";
import { ActionButton } from "@/components/ui/action-button";

export function RevokeInviteButton({ inviteId }: { inviteId: string }) {
  return <ActionButton action={revokeInviteAction} field="inviteId" id={inviteId} label="Revoke" pendingLabel="Revoking…" />;
}
