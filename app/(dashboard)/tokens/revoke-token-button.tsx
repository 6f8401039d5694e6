"use client";
import { useActionState } from "react";
import { revokeTokenAction } from "@/lib/api/tokens.action";
import { Button } from "@/components/ui/button";

export function RevokeTokenButton({ tokenId, name }: { tokenId: string; name: string }) {
  const [state, action, pending] = useActionState(revokeTokenAction, null);
  return (
    <form action={action} className="flex items-center gap-2">
      <input type="hidden" name="tokenId" value={tokenId} />
      {state && !state.ok && (
        <span role="alert" className="text-xs text-red-600">
          {state.message}
        </span>
      )}
      <Button type="submit" variant="danger" size="sm" disabled={pending} aria-label={`Revoke ${name}`}>
        {pending ? "Revoking…" : "Revoke"}
      </Button>
    </form>
  );
}
