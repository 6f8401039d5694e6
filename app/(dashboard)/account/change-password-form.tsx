"use client";
import { useActionState } from "react";
import { useTranslations } from "next-intl";
import { changePasswordAction, type ChangePasswordState } from "@/lib/auth/session.action";
import { Button } from "@/components/ui/button";
import { Field, FormMessage, Input } from "@/components/ui/field";

/** changed: the page was reached right after a change (the action redirects there on success). */
export function ChangePasswordForm({ changed }: { changed: boolean }) {
  const t = useTranslations("account.password");
  const [state, action, pending] = useActionState<ChangePasswordState, FormData>(changePasswordAction, { ok: false });
  const fe = state.fieldErrors ?? {};
  const message = state.message ?? (changed && !state.fieldErrors ? t("changed") : undefined);
  // React empties the fields after each answer: no password stays on the page.
  return (
    <form action={action} className="max-w-sm space-y-4" noValidate>
      <FormMessage ok={!state.message} message={message} />
      <Field label={t("current")} name="currentPassword" error={fe.currentPassword}>
        <Input name="currentPassword" type="password" autoComplete="current-password" required error={fe.currentPassword} />
      </Field>
      <Field label={t("new")} name="newPassword" error={fe.newPassword} hint={t("rule")}>
        <Input name="newPassword" type="password" autoComplete="new-password" required error={fe.newPassword} />
      </Field>
      <Field label={t("repeat")} name="repeatPassword" error={fe.repeatPassword}>
        <Input name="repeatPassword" type="password" autoComplete="new-password" required error={fe.repeatPassword} />
      </Field>
      <Button type="submit" disabled={pending}>
        {pending ? t("changing") : t("submit")}
      </Button>
    </form>
  );
}
