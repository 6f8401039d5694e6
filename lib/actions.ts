// The shape every server action shares: parse the input with zod, resolve the session and the team
// role itself, run, and answer { ok, data } or { ok: false, message, fieldErrors } for useActionState.
// Its message and field errors are in the request's language (lib/i18n/server-messages.ts).
// Whatever an action stores, no text of its input may hold what PostgreSQL refuses (a NUL, an
// unpaired surrogate: lib/storable.ts): that is a field error here, not a failed insert.
import "server-only";
import type { z } from "zod";
import type { Role } from "@/lib/generated/prisma/enums";
import { requireTeam, type TeamContext } from "@/lib/auth/context";
import { toUserMessage, UserError } from "@/lib/errors";
import { localizeResult, parseForRequest } from "@/lib/i18n/server-messages.request";
import { findUnstorable, unstorableMessage } from "@/lib/storable";

export type ActionResult<T = undefined> =
  | { ok: true; data: T; message?: string }
  | { ok: false; message: string; fieldErrors?: Record<string, string> };

export function fieldErrorsOf(error: z.ZodError): Record<string, string> {
  const out: Record<string, string> = {};
  for (const issue of error.issues) {
    const key = issue.path.join(".") || "_";
    out[key] ??= issue.message;
  }
  return out;
}

/** Reads a FormData or a plain object into what zod expects. */
export function formToObject(input: FormData | Record<string, unknown>): Record<string, unknown> {
  if (!(input instanceof FormData)) return input;
  const out: Record<string, unknown> = {};
  for (const [k, v] of input.entries()) if (typeof v === "string") out[k] = v;
  return out;
}

export function teamAction<S extends z.ZodType, T>(
  schema: S,
  minRole: Role,
  run: (input: z.infer<S>, ctx: TeamContext) => Promise<T>,
) {
  return async (input: FormData | z.input<S>): Promise<ActionResult<T>> => {
    try {
      const parsed = await parseForRequest(schema, formToObject(input as FormData | Record<string, unknown>));
      if (!parsed.success) {
        const fieldErrors = fieldErrorsOf(parsed.error);
        return localizeResult({ ok: false, message: Object.values(fieldErrors)[0] ?? "Please check the form.", fieldErrors });
      }
      const bad = findUnstorable(parsed.data);
      if (bad) {
        const message = `This text ${unstorableMessage(bad.what)}`;
        return localizeResult({ ok: false, message, fieldErrors: { [bad.path || "_"]: message } });
      }
      const ctx = await requireTeam(minRole);
      return { ok: true, data: await run(parsed.data, ctx) };
    } catch (err) {
      // next/navigation's redirect() and notFound() are thrown on purpose.
      if (isNextControlFlow(err)) throw err;
      return localizeResult({ ok: false, message: toUserMessage(err), fieldErrors: err instanceof UserError ? err.fieldErrors : undefined });
    }
  };
}

export function isNextControlFlow(err: unknown) {
  const digest = (err as { digest?: unknown })?.digest;
  return typeof digest === "string" && (digest.startsWith("NEXT_REDIRECT") || digest.startsWith("NEXT_HTTP_ERROR_FALLBACK"));
}
