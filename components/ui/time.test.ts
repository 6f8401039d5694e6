// The relative wording of times: "just now" for under 45 s either way, then the largest unit that
// fits (weeks included, as the files and templates lists said before the two time modules merged).
import { describe, expect, it } from "vitest";
import { relative } from "./time";

const MIN = 60_000;
const DAY = 24 * 60 * MIN;
const now = Date.parse("2025-03-01T12:00:00Z");

describe("relative", () => {
  it("says just now, or in a moment, under 45 seconds", () => {
    expect(relative(now - 44_000, now, "en")).toBe("just now");
    expect(relative(now + 10_000, now, "en")).toBe("in a moment");
  });

  it("takes the largest unit that fits, in the past and the future", () => {
    expect(relative(now - 5 * MIN, now, "en")).toBe("5 minutes ago");
    expect(relative(now - 3 * 60 * MIN, now, "en")).toBe("3 hours ago");
    expect(relative(now - DAY, now, "en")).toBe("yesterday");
    expect(relative(now - 14 * DAY, now, "en")).toBe("2 weeks ago");
    expect(relative(now - 60 * DAY, now, "en")).toBe("2 months ago");
    expect(relative(now - 400 * DAY, now, "en")).toBe("last year");
    expect(relative(now + 2 * 60 * MIN, now, "en")).toBe("in 2 hours");
  });
});
