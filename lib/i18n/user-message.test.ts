// The server's English refusals find their message in en.json, exactly or with arguments filled in,
// so a Chinese user reads them in Chinese; what en.json does not hold is left as it is.
import { describe, expect, it } from "vitest";
import { TAKEN_EMAIL } from "@/lib/auth/sign-up";
import { tryAgainIn } from "@/lib/auth/rate-limits";
import { NotFoundError, GENERIC_MESSAGE } from "@/lib/errors";
import { PASSWORD_RULE, passwordProblem } from "@/lib/auth/sign-up.schema";
import { localizeFailure, localizeMessage, matchEnglish } from "./user-message";

describe("matchEnglish", () => {
  it("finds the messages the server writes, word for word", () => {
    expect(matchEnglish(TAKEN_EMAIL)?.key).toBe("errors.server.emailTaken");
    expect(matchEnglish(GENERIC_MESSAGE)?.key).toBe("errors.server.generic");
    expect(matchEnglish(new NotFoundError("That connection").message)?.key).toBe("errors.server.notFoundConnection");
    expect(matchEnglish(passwordProblem("short", "a@b.c")!)?.key).toBe("errors.server.useMin10");
    expect(matchEnglish(PASSWORD_RULE)).not.toBeNull();
  });

  it("reads the arguments of a message that has them", () => {
    expect(matchEnglish(`Too many attempts. ${tryAgainIn(240)}`)).toEqual({ key: "errors.server.tooManyMinutes", values: { n: "4" } });
    expect(matchEnglish('This team already has a connection named "Prod". Choose another name.')).toEqual({
      key: "errors.server.connectionTaken",
      values: { name: "Prod" },
    });
  });

  it("leaves alone what en.json does not hold, and short patterns that would match anything", () => {
    expect(matchEnglish("The provider said no: quota exceeded")).toBeNull();
    expect(matchEnglish("x")).toBeNull();
  });
});

describe("outside a request", () => {
  it("answers in English", async () => {
    expect(await localizeMessage(TAKEN_EMAIL)).toBe(TAKEN_EMAIL);
    expect(await localizeFailure({ ok: false, message: TAKEN_EMAIL, fieldErrors: { email: TAKEN_EMAIL } })).toEqual({
      ok: false,
      message: TAKEN_EMAIL,
      fieldErrors: { email: TAKEN_EMAIL },
    });
  });
});
