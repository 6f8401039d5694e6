"use client";
import Link from "next/link";
import { useActionState } from "react";
import { useTranslations } from "next-intl";
import { signUpAction } from "@/lib/auth/account.action";
import type { AuthFormState } from "@/lib/auth/sign-up.schema";
import { Button } from "@/components/ui/button";
import { Field, FormMessage, Input } from "@/components/ui/field";

export function SignUpForm({ invite }: { invite?: string }) {
  const t = useTranslations("auth");
  const [state, action, pending] = useActionState<AuthFormState, FormData>(signUpAction, { ok: false });
  const fe = state.fieldErrors ?? {};
  const q = invite ? `?invite=${encodeURIComponent(invite)}` : "";
  // The message above the form repeats a single field's error; show it only when it adds something.
  const general = state.message && !Object.values(fe).includes(state.message) ? state.message : undefined;
  return (
    <form action={action} className="space-y-4" noValidate>
      {invite && <input type="hidden" name="invite" value={invite} />}
      <FormMessage message={general} />
      <Field label={t("name")} name="name" error={fe.name}>
        <Input name="name" autoComplete="name" required autoFocus defaultValue={state.values?.name} error={fe.name} />
      </Field>
      <Field label={t("email")} name="email" error={fe.email}>
        <Input name="email" type="email" autoComplete="email" required defaultValue={state.values?.email} error={fe.email} />
        {state.emailTaken && (
          <Link href={`/sign-in${q}`} className="inline-block text-xs font-medium text-brand-600 hover:text-brand-700">
            {t("signUp.goToSignIn")}
          </Link>
        )}
      </Field>
      <Field label={t("password")} name="password" error={fe.password} hint={t("passwordRule")}>
        <Input name="password" type="password" autoComplete="new-password" required error={fe.password} />
      </Field>
      {fe.password && <p className="-mt-2 text-xs text-slate-500">{t("passwordRule")}</p>}
      <Button type="submit" className="w-full" disabled={pending}>
        {pending ? t("signUp.pending") : t("signUp.submit")}
      </Button>
      <p className="pt-2 text-center text-sm text-slate-500">
        {t("signUp.haveAccount")}{" "}
        <Link href={`/sign-in${q}`} className="font-medium text-brand-600 hover:text-brand-700">
          {t("signUp.signIn")}
        </Link>
      </p>
    </form>
  );
}
