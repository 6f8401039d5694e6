// A personal team's default name is worded in the reader's language; a name someone chose is not.
import { createTranslator } from "next-intl";
import { describe, expect, it } from "vitest";
import en from "@/messages/en.json";
import zh from "@/messages/zh-CN.json";
import { defaultTeamName, personalTeamOwner, teamNameFor } from "./name";

const zhShell = createTranslator({ locale: "zh-CN", messages: zh, namespace: "shell" });
const enShell = createTranslator({ locale: "en", messages: en, namespace: "shell" });

describe("a team's name on a page", () => {
  it("words a personal team's default name in the reader's language", () => {
    const team = { name: defaultTeamName("Ada"), personal: true };
    expect(personalTeamOwner(team)).toBe("Ada");
    expect(teamNameFor(team, (k, v) => zhShell(k, v))).toBe("Ada的团队");
    expect(teamNameFor(team, (k, v) => enShell(k, v))).toBe("Ada's team");
  });

  it("keeps a renamed personal team's name and a shared team's name as they are", () => {
    expect(teamNameFor({ name: "Research", personal: true }, (k, v) => zhShell(k, v))).toBe("Research");
    expect(teamNameFor({ name: "Bob's team", personal: false }, (k, v) => zhShell(k, v))).toBe("Bob's team");
  });
});
