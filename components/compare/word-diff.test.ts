import { describe, expect, it } from "vitest";
import { wordDiff } from "./word-diff";

const marked = (parts: { text: string; changed: boolean }[]) => parts.filter((p) => p.changed).map((p) => p.text.trim());
const whole = (parts: { text: string }[]) => parts.map((p) => p.text).join("");

describe("wordDiff", () => {
  it("marks the words only A has on A's side and those only B has on B's", () => {
    const d = wordDiff("The capital of Peru is Lima.", "The capital of Peru is Lima, a big city.");
    expect(d.diffed).toBe(true);
    expect(whole(d.a)).toBe("The capital of Peru is Lima.");
    expect(whole(d.b)).toBe("The capital of Peru is Lima, a big city.");
    expect(marked(d.a)).toEqual([]);
    expect(marked(d.b)).toEqual([", a big city"]);
    // Marks hold the words, not the blanks around them.
    expect(wordDiff("a planet with rings", "a giant planet with rings").b).toEqual([
      { text: "a ", changed: false },
      { text: "giant", changed: true },
      { text: " planet with rings", changed: false },
    ]);
    const s = wordDiff("two plus two is four", "two plus two is five");
    expect(marked(s.a)).toEqual(["four"]);
    expect(marked(s.b)).toEqual(["five"]);
  });

  it("cuts Chinese into words rather than treating a sentence as one", () => {
    const d = wordDiff("秘鲁的首都是利马。", "秘鲁的首都是库斯科。");
    expect(whole(d.a)).toBe("秘鲁的首都是利马。");
    expect(whole(d.b)).toBe("秘鲁的首都是库斯科。");
    expect(marked(d.a).join("")).not.toContain("秘鲁");
    expect(marked(d.b).join("")).toContain("库斯科");
  });

  it("shows equal or huge texts plainly", () => {
    expect(wordDiff("same", "same")).toEqual({ a: [{ text: "same", changed: false }], b: [{ text: "same", changed: false }], diffed: true });
    const big = "word ".repeat(5000);
    expect(wordDiff(big, big + "x").diffed).toBe(false);
  });
});
