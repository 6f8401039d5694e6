"use client";
import { useActionState } from "react";
import { useTranslations } from "next-intl";
import { createTokenAction } from "@/lib/api/tokens.action";
import { Button } from "@/components/ui/button";
import { Field, FormMessage, Input, Select } from "@/components/ui/field";
import { ShownOnce } from "@/components/ui/shown-once";
import { useKeptForm } from "@/components/ui/kept-form";

interface Conn {
  id: string;
  name: string;
  kind: string;
}

export function CreateTokenForm({ connections, readOnlyRole }: { connections: Conn[]; readOnlyRole: boolean }) {
  const t = useTranslations("tokens.form");
  const [state, action, pending] = useActionState(createTokenAction, null);
  const fe = state && !state.ok ? (state.fieldErrors ?? {}) : {};
  const form = useKeptForm(action, state);
  return (
    <div className="space-y-4">
      <form {...form} className="grid gap-4 md:grid-cols-2" noValidate>
        <Field label={t("name")} name="name" error={fe.name}>
          <Input name="name" placeholder={t("namePlaceholder")} error={fe.name} maxLength={100} />
        </Field>
        <Field label={t("scope")} name="scope" error={fe.scope}>
          <Select name="scope" defaultValue={readOnlyRole ? "read" : "role"} error={fe.scope}>
            <option value="role">{readOnlyRole ? t("scopeRoleViewer") : t("scopeRole")}</option>
            <option value="read">{t("scopeRead")}</option>
          </Select>
        </Field>
        <Field label={t("expiresIn")} name="days" error={fe.days}>
          <Select name="days" defaultValue="90" error={fe.days}>
            <option value="7">{t("days", { count: 7 })}</option>
            <option value="30">{t("days", { count: 30 })}</option>
            <option value="90">{t("days", { count: 90 })}</option>
            <option value="365">{t("oneYear")}</option>
            <option value="0">{t("never")}</option>
          </Select>
        </Field>
        <Field label={t("cap")} name="spendCapUsd" error={fe.spendCapUsd}>
          <Input name="spendCapUsd" type="number" min="0" step="0.01" placeholder={t("noCap")} error={fe.spendCapUsd} />
        </Field>
        <fieldset className="md:col-span-1">
          <legend className="text-sm font-medium text-slate-700">{t("connections")}</legend>
          <p className="text-xs text-slate-500">{t("connectionsNote")}</p>
          <div className="mt-2 flex flex-wrap gap-x-4 gap-y-1">
            {connections.map((c) => (
              <label key={c.id} className="flex items-center gap-1.5 text-sm text-slate-700">
                <input type="checkbox" name="allowedConnectionIds" value={c.id} className="rounded border-slate-300" />
                {c.name}
              </label>
            ))}
          </div>
          {fe.allowedConnectionIds && <p className="mt-1 text-xs text-red-600">{fe.allowedConnectionIds}</p>}
        </fieldset>
        <Field label={t("defaultConnection")} name="defaultConnectionId" error={fe.defaultConnectionId}>
          <Select name="defaultConnectionId" defaultValue="" error={fe.defaultConnectionId}>
            <option value="">{t("teamSandbox")}</option>
            {connections.map((c) => (
              <option key={c.id} value={c.id}>
                {c.name}
              </option>
            ))}
          </Select>
        </Field>
        <div className="md:col-span-2">
          <Button type="submit" disabled={pending}>
            {pending ? t("pending") : t("submit")}
          </Button>
        </div>
      </form>
      {state && !state.ok && !Object.keys(fe).length && <FormMessage message={state.message} />}
      {state?.ok && <NewToken key={state.data.id} name={state.data.name} secret={state.data.secret} />}
    </div>
  );
}

function NewToken({ name, secret }: { name: string; secret: string }) {
  const t = useTranslations("tokens.form");
  return (
    <ShownOnce id="new-token" label={t("newToken")} title={t("made", { name })} value={secret}>
      {t.rich("useAs", {
        base: () => <code className="font-mono">OPENAI_BASE_URL=&lt;{t("thisServer")}&gt;/api/v1</code>,
        key: () => <code className="font-mono">OPENAI_API_KEY=&lt;{t("theToken")}&gt;</code>,
      })}
    </ShownOnce>
  );
}
