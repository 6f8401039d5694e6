"use client";
import { useActionState } from "react";
import { useTranslations } from "next-intl";
import { createTeamAction } from "@/lib/teams/members.action";
import { signOutAction } from "@/lib/auth/session.action";
import { Button } from "@/components/ui/button";
import { Field, Input } from "@/components/ui/field";

/** For a signed-in user who was removed from every team: start a new one (or sign out). */
export function NoTeam({ name }: { name: string }) {
  const t = useTranslations("auth.noTeam");
  const [state, action, pending] = useActionState(createTeamAction, null);
  const fe = state && !state.ok ? (state.fieldErrors ?? { name: state.message }) : {};
  return (
    <div className="space-y-4">
      <p className="text-sm text-slate-600">
        {t("body", { name })}
      </p>
      <form action={action} className="space-y-3" noValidate>
        <Field label={t("teamName")} name="name" error={fe.name}>
          <Input name="name" placeholder={t("teamNamePlaceholder")} maxLength={60} error={fe.name} />
        </Field>
        <Button type="submit" className="w-full" disabled={pending}>
          {t("create")}
        </Button>
      </form>
      <form action={signOutAction}>
        <Button type="submit" variant="ghost" className="w-full">
          {t("signOut")}
        </Button>
      </form>
    </div>
  );
}
