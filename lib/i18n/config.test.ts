import { describe, expect, it } from "vitest";
import { negotiateLocale, timeZoneOrUndefined } from "./config";

describe("negotiateLocale", () => {
  it.each([
    [null, "en"],
    ["", "en"],
    ["en-US,en;q=0.9", "en"],
    ["zh-CN,zh;q=0.9,en;q=0.8", "zh-CN"],
    ["zh-Hans", "zh-CN"],
    ["zh-TW", "zh-CN"],
    ["en;q=0.5,zh;q=0.9", "zh-CN"],
    ["fr-FR,de;q=0.9", "en"],
    ["fr-FR,zh;q=0.4", "zh-CN"],
    ["zh;q=0,en", "en"],
  ])("%s → %s", (header, locale) => {
    expect(negotiateLocale(header)).toBe(locale);
  });
});

describe("timeZoneOrUndefined", () => {
  it("keeps an IANA name and drops anything else", () => {
    expect(timeZoneOrUndefined("Asia/Shanghai")).toBe("Asia/Shanghai");
    expect(timeZoneOrUndefined("Not/AZone")).toBeUndefined();
    expect(timeZoneOrUndefined(undefined)).toBeUndefined();
    expect(timeZoneOrUndefined("x".repeat(100))).toBeUndefined();
  });
});
