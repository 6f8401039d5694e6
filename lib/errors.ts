// The one error type whose message a user may see. Anything else is logged on the server and the
// user gets a generic message (see toUserMessage), so internals never leak to the browser.
import { log } from "@/lib/log";

export class UserError extends Error {
  readonly fieldErrors?: Record<string, string>;
  constructor(message: string, fieldErrors?: Record<string, string>) {
    super(message);
    this.name = "UserError";
    this.fieldErrors = fieldErrors;
  }
}

/** A failure that may pass by itself (the provider unreachable or busy): a queued launch tries again later. */
export class RetryLaterError extends UserError {
  constructor(message: string) {
    super(message);
    this.name = "RetryLaterError";
  }
}

/** Objects of another team, or that do not exist, are the same to the caller. */
export class NotFoundError extends UserError {
  constructor(what = "That item") {
    super(`${what} was not found.`);
    this.name = "NotFoundError";
  }
}

export const GENERIC_MESSAGE = "Something went wrong on our side. Please try again.";

export function toUserMessage(err: unknown): string {
  if (err instanceof UserError) return err.message;
  log.error("unexpected_error", { err });
  return GENERIC_MESSAGE;
}
