"use client";
// The team's monthly budget and each connection's, for owners and admins (lib/budgets).
import { useActionState } from "react";
import { saveConnectionBudgetAction, saveTeamBudgetAction } from "@/lib/budgets/budgets.action";
import { Button } from "@/components/ui/button";
import { Field, FormMessage, Input } from "@/components/ui/field";

function Saved({ state }: { state: { ok: boolean; message?: string; fieldErrors?: Record<string, string> } | null }) {
  if (!state) return null;
  if (state.ok) return <p className="text-sm text-emerald-700" role="status">Saved.</p>;
  return Object.keys(state.fieldErrors ?? {}).length ? null : <FormMessage message={state.message} />;
}

export function TeamBudgetForm({ budget, currency, enforce }: { budget: number | null; currency: string; enforce: boolean }) {
  const [state, action, pending] = useActionState(saveTeamBudgetAction, null);
  const fe = state && !state.ok ? (state.fieldErrors ?? {}) : {};
  return (
    <form action={action} className="space-y-4" noValidate aria-label="Team budget">
      <div className="flex flex-wrap items-start gap-3">
        <div className="w-48">
          <Field label="Monthly budget" name="monthlyBudget" error={fe.monthlyBudget} hint="Empty: no budget.">
            <Input name="monthlyBudget" inputMode="decimal" defaultValue={budget ?? ""} placeholder="e.g. 500" error={fe.monthlyBudget} />
          </Field>
        </div>
        <div className="w-28">
          <Field label="Currency" name="currency" error={fe.currency}>
            <Input name="currency" defaultValue={currency} maxLength={3} error={fe.currency} />
          </Field>
        </div>
      </div>
      <label className="flex items-start gap-2 text-sm text-slate-700">
        <input type="checkbox" name="enforce" defaultChecked={enforce} className="mt-0.5 rounded border-slate-300" />
        <span>
          Refuse launches beyond the budget
          <span className="block text-xs text-slate-500">A launch whose estimate goes beyond what is left of the team&apos;s or its connection&apos;s budget is refused. Otherwise it is only warned about.</span>
        </span>
      </label>
      <div className="flex items-center gap-3">
        <Button type="submit" disabled={pending}>
          {pending ? "Saving…" : "Save budget"}
        </Button>
        <Saved state={state} />
      </div>
    </form>
  );
}

export function ConnectionBudgetForm({ id, name, budget, currency }: { id: string; name: string; budget: number | null; currency: string }) {
  const [state, action, pending] = useActionState(saveConnectionBudgetAction, null);
  const fe = state && !state.ok ? (state.fieldErrors ?? {}) : {};
  const field = `monthlyBudget-${id}`;
  return (
    <form action={action} className="flex flex-wrap items-end gap-3 py-2" noValidate aria-label={`Budget of ${name}`}>
      <input type="hidden" name="connectionId" value={id} />
      <div className="w-56">
        <label htmlFor={field} className="block text-sm font-medium text-slate-800">
          {name} <span className="font-normal text-slate-500">({currency} a month)</span>
        </label>
        <Input name="monthlyBudget" id={field} aria-describedby={fe.monthlyBudget ? `${field}-error` : undefined} inputMode="decimal" defaultValue={budget ?? ""} placeholder="No budget" error={fe.monthlyBudget} className="mt-1.5" />
        {fe.monthlyBudget && (
          <p id={`${field}-error`} className="mt-1 text-xs text-red-600" role="alert">
            {fe.monthlyBudget}
          </p>
        )}
      </div>
      <Button type="submit" variant="secondary" size="sm" disabled={pending}>
        {pending ? "Saving…" : "Save"}
      </Button>
      <Saved state={state} />
    </form>
  );
}
