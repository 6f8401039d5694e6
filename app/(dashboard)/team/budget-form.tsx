"use client";
// The team's monthly budget and each connection's, for owners and admins (lib/budgets).
import { useActionState } from "react";
import { useTranslations } from "next-intl";
import { saveConnectionBudgetAction, saveTeamBudgetAction } from "@/lib/budgets/budgets.action";
import { Button } from "@/components/ui/button";
import { Field, FormMessage, Input } from "@/components/ui/field";
import { useKeptForm } from "@/components/ui/kept-form";

function Saved({ state }: { state: { ok: boolean; message?: string; fieldErrors?: Record<string, string> } | null }) {
  const t = useTranslations("team.budget");
  if (!state) return null;
  if (state.ok) return <p className="text-sm text-emerald-700" role="status">{t("saved")}</p>;
  return Object.keys(state.fieldErrors ?? {}).length ? null : <FormMessage message={state.message} />;
}

export function TeamBudgetForm({ budget, currency, enforce }: { budget: number | null; currency: string; enforce: boolean }) {
  const t = useTranslations("team.budget");
  const [state, action, pending] = useActionState(saveTeamBudgetAction, null);
  const fe = state && !state.ok ? (state.fieldErrors ?? {}) : {};
  const form = useKeptForm(action);
  return (
    <form {...form} className="space-y-4" noValidate aria-label={t("teamBudget")}>
      <div className="flex flex-wrap items-start gap-3">
        <div className="w-48">
          <Field label={t("monthly")} name="monthlyBudget" error={fe.monthlyBudget} hint={t("emptyHint")}>
            <Input name="monthlyBudget" inputMode="decimal" defaultValue={budget ?? ""} placeholder={t("placeholder")} error={fe.monthlyBudget} />
          </Field>
        </div>
        <div className="w-28">
          <Field label={t("currency")} name="currency" error={fe.currency}>
            <Input name="currency" defaultValue={currency} maxLength={3} error={fe.currency} />
          </Field>
        </div>
      </div>
      <label className="flex items-start gap-2 text-sm text-slate-700">
        <input type="checkbox" name="enforce" defaultChecked={enforce} className="mt-0.5 rounded border-slate-300" />
        <span>
          {t("enforce")}
          <span className="block text-xs text-slate-500">{t("enforceNote")}</span>
        </span>
      </label>
      <div className="flex items-center gap-3">
        <Button type="submit" disabled={pending}>
          {pending ? t("saving") : t("save")}
        </Button>
        <Saved state={state} />
      </div>
    </form>
  );
}

export function ConnectionBudgetForm({ id, name, budget, currency }: { id: string; name: string; budget: number | null; currency: string }) {
  const t = useTranslations("team.budget");
  const [state, action, pending] = useActionState(saveConnectionBudgetAction, null);
  const fe = state && !state.ok ? (state.fieldErrors ?? {}) : {};
  const form = useKeptForm(action);
  const field = `monthlyBudget-${id}`;
  return (
    <form {...form} className="flex flex-wrap items-end gap-3 py-2" noValidate aria-label={t("of", { name })}>
      <input type="hidden" name="connectionId" value={id} />
      <div className="w-56">
        <label htmlFor={field} className="block text-sm font-medium text-slate-800">
          {name} <span className="font-normal text-slate-500">{t("perMonth", { currency })}</span>
        </label>
        <Input name="monthlyBudget" id={field} aria-describedby={fe.monthlyBudget ? `${field}-error` : undefined} inputMode="decimal" defaultValue={budget ?? ""} placeholder={t("noBudget")} error={fe.monthlyBudget} className="mt-1.5" />
        {fe.monthlyBudget && (
          <p id={`${field}-error`} className="mt-1 text-xs text-red-600" role="alert">
            {fe.monthlyBudget}
          </p>
        )}
      </div>
      <Button type="submit" variant="secondary" size="sm" disabled={pending}>
        {pending ? t("saving") : t("saveShort")}
      </Button>
      <Saved state={state} />
    </form>
  );
}
