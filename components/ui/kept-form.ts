"use client";
// A form whose server action may refuse what was typed. React resets a form once its `action` prop
// has run, so a refused budget or token form came back empty with its error beside nothing; sent
// from onSubmit instead, the form keeps every value. `cleared`: the action's state, the form is
// cleared each time it says ok (a created token's form starts over; a saved budget keeps its values).
import { startTransition, useEffect, useRef, type FormEvent } from "react";

export function useKeptForm(action: (data: FormData) => void, cleared?: { ok: boolean } | null) {
  const ref = useRef<HTMLFormElement>(null);
  useEffect(() => {
    if (cleared?.ok) ref.current?.reset();
  }, [cleared]);
  return {
    ref,
    onSubmit: (e: FormEvent<HTMLFormElement>) => {
      e.preventDefault();
      const data = new FormData(e.currentTarget);
      startTransition(() => action(data));
    },
  };
}
