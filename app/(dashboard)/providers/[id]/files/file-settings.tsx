"use client";
// The connection's file settings: delete a batch's input file once it has ended (the worker does it),
// and, where the provider takes it (OpenAI), how many days its files live before they expire.
import { useActionState } from "react";
import { saveFileSettingsAction } from "@/lib/batches/provider-files.action";
import type { ProviderFilesView } from "@/lib/batches/provider-files";
import { Button } from "@/components/ui/button";
import { Card, CardHeader } from "@/components/ui/card";
import { Field, FormMessage, Input } from "@/components/ui/field";

export function FileSettings({ view, canManage }: { view: ProviderFilesView; canManage: boolean }) {
  const [state, save, pending] = useActionState(saveFileSettingsAction, null);
  const c = view.connection;
  const errors = state && !state.ok ? (state.fieldErrors ?? {}) : {};
  return (
    <Card>
      <CardHeader title="Settings" description={canManage ? undefined : "Only admins and owners of the team change these."} />
      <form action={save} className="space-y-4 px-5 py-4">
        <input type="hidden" name="connectionId" value={c.id} />
        <label className="flex items-start gap-3 text-sm">
          <input type="checkbox" name="deleteInputFiles" defaultChecked={c.deleteInputFiles} disabled={!canManage || view.noFiles} className="mt-0.5 h-4 w-4 rounded border-slate-300" />
          <span>
            <span className="font-medium text-slate-800">Delete input files after the batch ends</span>
            <span className="block text-slate-500">
              Once a batch launched here has ended and its results are stored, its input file is deleted at the provider. The requests stay in Batchboard, so a retry
              uploads them again. Batches imported from the provider&apos;s history keep their files.
            </span>
          </span>
        </label>
        {view.expiry && (
          <div className="max-w-xs">
            <Field
              label="Files expire after (days)"
              name="fileExpiryDays"
              error={errors.fileExpiryDays}
              hint={`${c.providerLabel} deletes uploaded inputs and a batch's output and error files this long after they are made (${view.expiry.minDays}–${view.expiry.maxDays} days; empty: its default).`}
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
              {pending ? "Saving…" : "Save settings"}
            </Button>
            {state && <FormMessage ok={state.ok} message={state.ok ? "Saved." : state.message} />}
          </div>
        )}
      </form>
    </Card>
  );
}
