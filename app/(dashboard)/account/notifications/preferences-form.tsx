"use client";
import { useActionState } from "react";
import { useTranslations } from "next-intl";
import { savePreferencesAction } from "@/lib/notify/notify.action";
import { fieldName } from "@/lib/notify/preferences.schema";
import { Button } from "@/components/ui/button";
import { FormMessage } from "@/components/ui/field";

interface Row {
  type: string;
  label: string;
  description: string;
  inApp: boolean;
  email: boolean;
}

const box = "h-4 w-4 rounded border-slate-300 text-brand-600 focus:ring-brand-500 disabled:opacity-40";

export function PreferencesForm({ rows, emailEnabled }: { rows: Row[]; emailEnabled: boolean }) {
  const t = useTranslations("account.notifications");
  const [state, action, pending] = useActionState(savePreferencesAction, null);
  return (
    <form action={action}>
      <table className="w-full text-sm">
        <thead>
          <tr className="border-b border-slate-100 text-left text-xs font-medium uppercase tracking-wide text-slate-500">
            <th scope="col" className="px-5 py-2.5">{t("event")}</th>
            <th scope="col" className="w-20 px-2 py-2.5 text-center">{t("inApp")}</th>
            <th scope="col" className="w-20 px-2 py-2.5 text-center sm:pr-5">{t("email")}</th>
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100">
          {rows.map((r) => (
            <tr key={r.type}>
              <th scope="row" className="px-5 py-3 text-left font-normal">
                <span className="block font-medium text-slate-900">{r.label}</span>
                <span className="block text-xs text-slate-500">{r.description}</span>
              </th>
              <td className="px-2 py-3 text-center">
                <input type="checkbox" name={fieldName("inApp", r.type)} defaultChecked={r.inApp} aria-label={t("inAppOf", { label: r.label })} className={box} />
              </td>
              <td className="px-2 py-3 text-center sm:pr-5">
                <input type="checkbox" name={fieldName("email", r.type)} defaultChecked={r.email} disabled={!emailEnabled} aria-label={t("emailOf", { label: r.label })} className={box} />
                {/* A disabled box is not sent: keep the choice for when email is set up. */}
                {!emailEnabled && r.email && <input type="hidden" name={fieldName("email", r.type)} value="on" />}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <div className="flex flex-wrap items-center gap-3 border-t border-slate-100 px-5 py-4">
        <Button type="submit" disabled={pending}>
          {pending ? t("saving") : t("save")}
        </Button>
        {state && <FormMessage ok={state.ok} message={state.ok ? t("saved") : state.message} />}
      </div>
    </form>
  );
}
