"use client";
import { useActionState } from "react";
import { createTokenAction } from "@/lib/api/tokens.action";
import { Button } from "@/components/ui/button";
import { Field, FormMessage, Input, Select } from "@/components/ui/field";
import { ShownOnce } from "@/components/ui/shown-once";

interface Conn {
  id: string;
  name: string;
  kind: string;
}

export function CreateTokenForm({ connections, readOnlyRole }: { connections: Conn[]; readOnlyRole: boolean }) {
  const [state, action, pending] = useActionState(createTokenAction, null);
  const fe = state && !state.ok ? (state.fieldErrors ?? {}) : {};
  return (
    <div className="space-y-4">
      <form action={action} className="grid gap-4 md:grid-cols-2" noValidate>
        <Field label="Name" name="name" error={fe.name}>
          <Input name="name" placeholder="nightly-eval script" error={fe.name} maxLength={100} />
        </Field>
        <Field label="May do" name="scope" error={fe.scope}>
          <Select name="scope" defaultValue={readOnlyRole ? "read" : "role"} error={fe.scope}>
            <option value="role">{readOnlyRole ? "My role (a viewer only reads)" : "My role: upload, launch, cancel"}</option>
            <option value="read">Read only (GET)</option>
          </Select>
        </Field>
        <Field label="Expires in" name="days" error={fe.days}>
          <Select name="days" defaultValue="90" error={fe.days}>
            <option value="7">7 days</option>
            <option value="30">30 days</option>
            <option value="90">90 days</option>
            <option value="365">1 year</option>
            <option value="0">Never</option>
          </Select>
        </Field>
        <Field label="Spend cap (USD, optional)" name="spendCapUsd" error={fe.spendCapUsd}>
          <Input name="spendCapUsd" type="number" min="0" step="0.01" placeholder="No cap" error={fe.spendCapUsd} />
        </Field>
        <fieldset className="md:col-span-1">
          <legend className="text-sm font-medium text-slate-700">Connections it may use</legend>
          <p className="text-xs text-slate-500">None checked: any of the team&apos;s.</p>
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
        <Field label="Default connection" name="defaultConnectionId" error={fe.defaultConnectionId}>
          <Select name="defaultConnectionId" defaultValue="" error={fe.defaultConnectionId}>
            <option value="">The team&apos;s Sandbox</option>
            {connections.map((c) => (
              <option key={c.id} value={c.id}>
                {c.name}
              </option>
            ))}
          </Select>
        </Field>
        <div className="md:col-span-2">
          <Button type="submit" disabled={pending}>
            {pending ? "Creating…" : "Create token"}
          </Button>
        </div>
      </form>
      {state && !state.ok && !Object.keys(fe).length && <FormMessage message={state.message} />}
      {state?.ok && <NewToken key={state.data.id} name={state.data.name} secret={state.data.secret} />}
    </div>
  );
}

function NewToken({ name, secret }: { name: string; secret: string }) {
  return (
    <ShownOnce id="new-token" label="New token" title={<>Token &ldquo;{name}&rdquo; made. Copy it now: it is shown only once.</>} value={secret}>
      Use it as the API key: <code className="font-mono">OPENAI_BASE_URL=&lt;this server&gt;/api/v1</code> and <code className="font-mono">OPENAI_API_KEY=&lt;the token&gt;</code>.
    </ShownOnce>
  );
}
