"use client";
import { useActionState, useSyncExternalStore } from "react";
import { createInviteAction } from "@/lib/teams/invites.action";
import { roleLabel } from "@/lib/auth/roles";
import { Button } from "@/components/ui/button";
import { Field, FormMessage, Select } from "@/components/ui/field";
import { ShownOnce } from "@/components/ui/shown-once";

export function InviteForm() {
  const [state, action, pending] = useActionState(createInviteAction, null);
  const fe = state && !state.ok ? (state.fieldErrors ?? {}) : {};
  return (
    <div className="space-y-4">
      <form action={action} className="flex flex-wrap items-end gap-3" noValidate>
        <div className="w-60">
          <Field label="Role" name="role" error={fe.role}>
            <Select name="role" defaultValue="MEMBER" error={fe.role}>
              <option value="MEMBER">Member (runs batches)</option>
              <option value="VIEWER">Viewer (read only)</option>
              <option value="ADMIN">Admin (manages team)</option>
            </Select>
          </Field>
        </div>
        <div className="w-36">
          <Field label="Link expires in" name="days" error={fe.days}>
            <Select name="days" defaultValue="7" error={fe.days}>
              <option value="1">1 day</option>
              <option value="7">7 days</option>
              <option value="30">30 days</option>
            </Select>
          </Field>
        </div>
        <Button type="submit" disabled={pending}>
          {pending ? "Creating…" : "Create invite link"}
        </Button>
      </form>
      {state && !state.ok && !Object.keys(fe).length && <FormMessage message={state.message} />}
      {state?.ok && <InviteLink key={state.data.path} path={state.data.path} serverUrl={state.data.url} role={state.data.role} expiresAt={state.data.expiresAt} />}
    </div>
  );
}

const noSubscribe = () => () => {};

function InviteLink({ path, serverUrl, role, expiresAt }: { path: string; serverUrl: string; role: keyof typeof roleLabel; expiresAt: string }) {
  // The browser knows the address people reach this app at; the server may not.
  const origin = useSyncExternalStore(noSubscribe, () => window.location.origin, () => "");
  const url = origin ? `${origin}${path}` : serverUrl;
  return (
    <ShownOnce id="invite-link" label="Invite link" title="Invite link ready. Copy it now: it is shown only once." value={url}>
      Whoever opens it joins as {roleLabel[role].toLowerCase()}, once, until {new Date(expiresAt).toLocaleString("en", { dateStyle: "medium", timeStyle: "short" })}.
    </ShownOnce>
  );
}
