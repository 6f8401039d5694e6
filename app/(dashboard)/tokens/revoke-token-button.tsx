"use client";
import { useTranslations } from "next-intl";
import { revokeTokenAction } from "@/lib/api/tokens.action";
import { ActionButton } from "@/components/ui/action-button";

export function RevokeTokenButton({ tokenId, name }: { tokenId: string; name: string }) {
  const t = useTranslations("tokens");
  return <ActionButton action={revokeTokenAction} field="tokenId" id={tokenId} label={t("revoke")} pendingLabel={t("revoking")} ariaLabel={t("revokeName", { name })} />;
}
