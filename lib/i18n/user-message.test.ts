// Labels and notes the server builds in English (a connection's label, a price's source) find their
// message in en.json, exactly or with arguments filled in; anything else goes to the server messages'
// catalogue; outside a request everything stays English.
import { describe, expect, it } from "vitest";
import en from "@/messages/en.json";
import { localizeMessage, matchEnglish } from "./user-message";

describe("matchEnglish", () => {
  it("finds a message of en.json word for word", () => {
    expect(matchEnglish(en.preferences.theme)?.key).toBe("preferences.theme");
  });

  it("leaves alone what en.json does not hold, and short patterns that would match anything", () => {
    expect(matchEnglish("The provider said no: quota exceeded")).toBeNull();
    expect(matchEnglish("x")).toBeNull();
  });
});

describe("outside a request", () => {
  it("answers in English", async () => {
    expect(await localizeMessage(en.preferences.theme)).toBe(en.preferences.theme);
  });
});
