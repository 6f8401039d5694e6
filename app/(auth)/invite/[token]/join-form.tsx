"use client";
import { useActionState } from "react";
import { useTranslations } from "next-intl";
import { acceptInviteAction } from "@/lib/teams/invites.action";
import { Button } from "@/components/ui/button";
import { FormMessage } from "@/components/ui/field";

export function JoinForm({ token, teamName, userLabel }: { token: string; teamName: string; userLabel: string }) {
  const t = useTranslations("auth.invite");
  const [state, action, pending] = useActionState(acceptInviteAction, null);
  return (
    <form action={action} className="space-y-4">
      <input type="hidden" name="token" value={token} />
      <FormMessage message={state?.message} />
      <p className="text-sm text-slate-500">
        {t.rich("signedInAs", { user: userLabel, b: (chunks) => <span className="font-medium text-slate-700">{chunks}</span> })}
      </p>
      <Button type="submit" className="w-full" disabled={pending}>
        {pending ? t("joining") : t("join", { team: teamName })}
      </Button>
    </form>
  );
}
