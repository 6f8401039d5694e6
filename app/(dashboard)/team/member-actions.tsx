"use client";
import { startTransition, useActionState, useState } from "react";
import { useTranslations } from "next-intl";
import type { Role } from "@/lib/generated/prisma/enums";
import { changeRoleAction, removeMemberAction } from "@/lib/teams/members.action";
import { Button } from "@/components/ui/button";
import { inputClass } from "@/components/ui/field";
import { cn } from "@/components/ui/cn";

/** The member's role; a select that saves on change for those who may change it. */
export function MemberRole({ membershipId, name, role, choices }: { membershipId: string; name: string; role: Role; choices: Role[] | null }) {
  const t = useTranslations("team");
  const [state, action, pending] = useActionState(changeRoleAction, null);
  const [choice, setChoice] = useState<Role>(role);
  if (!choices) return <span className="text-slate-700">{t(`roles.${role}`)}</span>;
  const errorId = `role-${membershipId}-error`;
  const error = state && !state.ok ? state.message : undefined;
  return (
    <form action={action} onSubmit={(e) => e.preventDefault()}>
      <input type="hidden" name="membershipId" value={membershipId} />
      <label className="sr-only" htmlFor={`role-${membershipId}`}>
        {t("members.roleOf", { name })}
      </label>
      <select
        id={`role-${membershipId}`}
        name="role"
        // A refused change shows the role the member still has.
        value={error && !pending ? role : choice}
        disabled={pending}
        aria-invalid={error ? true : undefined}
        aria-describedby={error ? errorId : undefined}
        onChange={(e) => {
          // Sent by hand, not by submitting: React would reset the form to the old role.
          setChoice(e.target.value as Role);
          const data = new FormData(e.currentTarget.form!);
          startTransition(() => action(data));
        }}
        className={cn(inputClass, "w-32 py-1.5 pr-8")}
      >
        {choices.map((r) => (
          <option key={r} value={r}>
            {t(`roles.${r}`)}
          </option>
        ))}
      </select>
      {state?.ok && <span className="sr-only" role="status">{t("saved")}</span>}
      {error && (
        <p id={errorId} role="alert" className="mt-1 max-w-xs text-xs text-red-600">
          {error}
        </p>
      )}
    </form>
  );
}

/** Remove (someone else) or Leave (yourself), after a confirmation. */
export function MemberRemove({ membershipId, name, leave }: { membershipId: string; name: string; leave: boolean }) {
  const t = useTranslations("team.members");
  const [state, action, pending] = useActionState(removeMemberAction, null);
  return (
    <form
      action={action}
      className="flex flex-col items-end gap-1"
      onSubmit={(e) => {
        const q = leave ? t("confirmLeave") : t("confirmRemove", { name });
        if (!window.confirm(q)) e.preventDefault();
      }}
    >
      <input type="hidden" name="membershipId" value={membershipId} />
      <Button type="submit" variant={leave ? "secondary" : "danger"} size="sm" disabled={pending}>
        {leave ? t("leave") : t("remove")}
      </Button>
      {state && !state.ok && (
        <p role="alert" className="max-w-xs text-right text-xs text-red-600">
          {state.message}
        </p>
      )}
    </form>
  );
}
