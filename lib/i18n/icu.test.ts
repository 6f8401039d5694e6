import { describe, expect, it } from "vitest";
import { icuArguments } from "./icu";

describe("icuArguments", () => {
  it("reads arguments, kinds, branches and tags", () => {
    expect(icuArguments("You are <b>{role, select, OWNER {owner} other {viewer}}</b> in {team}.")).toEqual(["b:tag", "role:select", "team:text"]);
    expect(icuArguments("{count, plural, one {# file} other {# files}}{failed, plural, =0 {} other {; # failed}}")).toEqual(["count:number", "failed:number"]);
    expect(icuArguments("{n, number} of {total, number} at <time></time>")).toEqual(["n:number", "time:tag", "total:number"]);
    expect(() => icuArguments("{open")).toThrow();
  });
});
