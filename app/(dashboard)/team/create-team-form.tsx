"use client";
import { useActionState } from "react";
import { createTeamAction } from "@/lib/teams/members.action";
import { Button } from "@/components/ui/button";
import { Field, Input } from "@/components/ui/field";

export function CreateTeamForm() {
  const [state, action, pending] = useActionState(createTeamAction, null);
  const fe = state && !state.ok ? (state.fieldErrors ?? { name: state.message }) : {};
  return (
    <form action={action} className="flex max-w-lg flex-wrap items-end gap-3" noValidate>
      <div className="min-w-56 flex-1">
        <Field label="Team name" name="name" error={fe.name}>
          <Input name="name" placeholder="e.g. Research" maxLength={60} required error={fe.name} />
        </Field>
      </div>
      <Button type="submit" variant="secondary" disabled={pending} className={fe.name ? "mb-6" : undefined}>
        {pending ? "Creating…" : "Create team"}
      </Button>
    </form>
  );
}
