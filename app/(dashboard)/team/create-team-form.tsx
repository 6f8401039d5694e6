"use client";
import { useActionState } from "react";
import { useTranslations } from "next-intl";
import { createTeamAction } from "@/lib/teams/members.action";
import { Button } from "@/components/ui/button";
import { Field, Input } from "@/components/ui/field";

export function CreateTeamForm() {
  const t = useTranslations("team.create");
  const [state, action, pending] = useActionState(createTeamAction, null);
  const fe = state && !state.ok ? (state.fieldErrors ?? { name: state.message }) : {};
  return (
    <form action={action} className="flex max-w-lg flex-wrap items-end gap-3" noValidate>
      <div className="min-w-56 flex-1">
        <Field label={t("name")} name="name" error={fe.name}>
          <Input name="name" placeholder={t("placeholder")} maxLength={60} required error={fe.name} />
        </Field>
      </div>
      <Button type="submit" variant="secondary" disabled={pending} className={fe.name ? "mb-6" : undefined}>
        {pending ? t("pending") : t("submit")}
      </Button>
    </form>
  );
}
