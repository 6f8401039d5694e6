"use client";
import { useTranslations } from "next-intl";
import { revokeInviteAction } from "@/lib/teams/invites.action";
import { ActionButton } from "@/components/ui/action-button";

export function RevokeInviteButton({ inviteId }: { inviteId: string }) {
  const t = useTranslations("team.pending");
  return <ActionButton action={revokeInviteAction} field="inviteId" id={inviteId} label={t("revoke")} pendingLabel={t("revoking")} />;
}
