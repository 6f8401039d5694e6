"use client";
import { revokeTokenAction } from "@/lib/api/tokens.action";
import { ActionButton } from "@/components/ui/action-button";

export function RevokeTokenButton({ tokenId, name }: { tokenId: string; name: string }) {
  return <ActionButton action={revokeTokenAction} field="tokenId" id={tokenId} label="Revoke" pendingLabel="Revoking…" ariaLabel={`Revoke ${name}`} />;
}
