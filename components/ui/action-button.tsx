"use client";
// One button that runs a server action on one object (revoke, delete...): the object's id in a
// hidden field, the button disabled while the action runs, and the action's refusal beside it.
import { useActionState } from "react";
import type { ActionResult } from "@/lib/actions";
import { Button } from "./button";

export function ActionButton<T>(props: {
  /** A server action of the useActionState shape: (previous state, form). */
  action: (prev: unknown, input: FormData) => Promise<ActionResult<T>>;
  /** The hidden field the action reads the object's id from, and the id. */
  field: string;
  id: string;
  label: string;
  pendingLabel: string;
  /** The button's name for a screen reader when the label alone is ambiguous in a list. */
  ariaLabel?: string;
}) {
  const [state, run, pending] = useActionState<ActionResult<T> | null, FormData>(props.action, null);
  return (
    <form action={run} className="flex items-center gap-2">
      <input type="hidden" name={props.field} value={props.id} />
      {state && !state.ok && (
        <span role="alert" className="text-xs text-red-600">
          {state.message}
        </span>
      )}
      <Button type="submit" variant="danger" size="sm" disabled={pending} aria-label={props.ariaLabel}>
        {pending ? props.pendingLabel : props.label}
      </Button>
    </form>
  );
}
