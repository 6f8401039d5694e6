"use client";
import Link from "next/link";
import { useActionState } from "react";
import { useTranslations } from "next-intl";
import { signInAction } from "@/lib/auth/account.action";
import type { AuthFormState } from "@/lib/auth/sign-up.schema";
import { Button } from "@/components/ui/button";
import { Field, FormMessage, Input } from "@/components/ui/field";

/** newAccount: what the sign-up policy leaves a newcomer (SIGN_UP): the sign-up link, or whom to ask. */
export function SignInForm({ invite, newAccount }: { invite?: string; newAccount: "open" | "invite" | "closed" }) {
  const t = useTranslations("auth");
  const [state, action, pending] = useActionState<AuthFormState, FormData>(signInAction, { ok: false });
  const fe = state.fieldErrors ?? {};
  const q = invite ? `?invite=${encodeURIComponent(invite)}` : "";
  return (
    <form action={action} className="space-y-4" noValidate>
      {invite && <input type="hidden" name="invite" value={invite} />}
      <FormMessage message={state.message} />
      <Field label={t("email")} name="email" error={fe.email}>
        <Input name="email" type="email" autoComplete="email" required autoFocus defaultValue={state.values?.email} error={fe.email} />
      </Field>
      <Field label={t("password")} name="password" error={fe.password}>
        <Input name="password" type="password" autoComplete="current-password" required error={fe.password} />
      </Field>
      <Button type="submit" className="w-full" disabled={pending}>
        {pending ? t("signIn.pending") : t("signIn.submit")}
      </Button>
      <p className="pt-2 text-center text-sm text-slate-500">
        {newAccount === "open" ? (
          <>
            {t("signIn.newHere")}{" "}
            <Link href={`/sign-up${q}`} className="font-medium text-brand-600 hover:text-brand-700">
              {t("signIn.createAccount")}
            </Link>
          </>
        ) : newAccount === "invite" ? (
          t("signIn.newHereInvite")
        ) : (
          t("signIn.newHereClosed")
        )}
      </p>
    </form>
  );
}
