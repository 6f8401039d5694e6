"use client";
import { useActionState, useSyncExternalStore } from "react";
import { useFormatter, useTranslations } from "next-intl";
import type { Role } from "@/lib/generated/prisma/enums";
import { createInviteAction } from "@/lib/teams/invites.action";
import { Button } from "@/components/ui/button";
import { Field, FormMessage, Select } from "@/components/ui/field";
import { ShownOnce } from "@/components/ui/shown-once";

export function InviteForm() {
  const t = useTranslations("team.invite");
  const [state, action, pending] = useActionState(createInviteAction, null);
  const fe = state && !state.ok ? (state.fieldErrors ?? {}) : {};
  return (
    <div className="space-y-4">
      <form action={action} className="flex flex-wrap items-end gap-3" noValidate>
        <div className="w-60">
          <Field label={t("role")} name="role" error={fe.role}>
            <Select name="role" defaultValue="MEMBER" error={fe.role}>
              <option value="MEMBER">{t("roleMember")}</option>
              <option value="VIEWER">{t("roleViewer")}</option>
              <option value="ADMIN">{t("roleAdmin")}</option>
            </Select>
          </Field>
        </div>
        <div className="w-36">
          <Field label={t("expiresIn")} name="days" error={fe.days}>
            <Select name="days" defaultValue="7" error={fe.days}>
              <option value="1">{t("days", { count: 1 })}</option>
              <option value="7">{t("days", { count: 7 })}</option>
              <option value="30">{t("days", { count: 30 })}</option>
            </Select>
          </Field>
        </div>
        <Button type="submit" disabled={pending}>
          {pending ? t("pending") : t("submit")}
        </Button>
      </form>
      {state && !state.ok && !Object.keys(fe).length && <FormMessage message={state.message} />}
      {state?.ok && <InviteLink key={state.data.path} path={state.data.path} serverUrl={state.data.url} role={state.data.role} expiresAt={state.data.expiresAt} />}
    </div>
  );
}

const noSubscribe = () => () => {};

function InviteLink({ path, serverUrl, role, expiresAt }: { path: string; serverUrl: string; role: Role; expiresAt: string }) {
  const t = useTranslations("team.invite");
  const format = useFormatter();
  // The browser knows the address people reach this app at; the server may not.
  const origin = useSyncExternalStore(noSubscribe, () => window.location.origin, () => "");
  const url = origin ? `${origin}${path}` : serverUrl;
  return (
    <ShownOnce id="invite-link" label={t("link")} title={t("ready")} value={url}>
      {t("whoever", { role, until: format.dateTime(new Date(expiresAt), { dateStyle: "medium", timeStyle: "short" }) })}
    </ShownOnce>
  );
}
