"use client";
// The connection's file settings: delete a batch's input file once it has ended (the worker does it),
// and, where the provider takes it (OpenAI), how many days its files live before they expire.
import { useActionState } from "react";
import { useTranslations } from "next-intl";
import { saveFileSettingsAction } from "@/lib/batches/provider-files.action";
import type { ProviderFilesView } from "@/lib/batches/provider-files";
import { Button } from "@/components/ui/button";
import { Card, CardHeader } from "@/components/ui/card";
import { Field, FormMessage, Input } from "@/components/ui/field";

export function FileSettings({ view, canManage }: { view: ProviderFilesView; canManage: boolean }) {
  const t = useTranslations("providers.files.settings");
  const [state, save, pending] = useActionState(saveFileSettingsAction, null);
  const c = view.connection;
  const errors = state && !state.ok ? (state.fieldErrors ?? {}) : {};
  return (
    <Card>
      <CardHeader title={t("title")} description={canManage ? undefined : t("managersOnly")} />
      <form action={save} className="space-y-4 px-5 py-4">
        <input type="hidden" name="connectionId" value={c.id} />
        <label className="flex items-start gap-3 text-sm">
          <input type="checkbox" name="deleteInputFiles" defaultChecked={c.deleteInputFiles} disabled={!canManage || view.noFiles} className="mt-0.5 h-4 w-4 rounded border-slate-300" />
          <span>
            <span className="font-medium text-slate-800">{t("deleteInputs")}</span>
            <span className="block text-slate-500">{t("deleteInputsNote")}</span>
          </span>
        </label>
        {view.expiry && (
          <div className="max-w-xs">
            <Field
              label={t("expiry")}
              name="fileExpiryDays"
              error={errors.fileExpiryDays}
              hint={t("expiryHint", { provider: c.providerLabel, min: view.expiry.minDays, max: view.expiry.maxDays })}
            >
              <Input
                name="fileExpiryDays"
                type="number"
                min={view.expiry.minDays}
                max={view.expiry.maxDays}
                defaultValue={c.fileExpiryDays ?? ""}
                disabled={!canManage}
                error={errors.fileExpiryDays}
              />
            </Field>
          </div>
        )}
        {canManage && !view.noFiles && (
          <div className="flex items-center gap-3">
            <Button type="submit" variant="secondary" size="sm" disabled={pending}>
              {pending ? t("saving") : t("save")}
            </Button>
            {state && <FormMessage ok={state.ok} message={state.ok ? t("saved") : state.message} />}
          </div>
        )}
      </form>
    </Card>
  );
}
