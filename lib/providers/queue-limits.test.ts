// Queue limits as data: OpenAI's tier table pre-fills the per-model enqueued-token limits, the
// team's own numbers lay over it, Bailian's 1000 unfinished tasks are its default, a dated snapshot
// falls under its model, and the form's text becomes the stored shape with an error per field.
import { describe, expect, it } from "vitest";
import { effectiveQueueLimits, limitForModel, parseQueueLimits, queueLimitsFormValues, queueLimitsFromForm, shortTokens } from "./queue-limits";

describe("effective queue limits", () => {
  it("OpenAI: Tier 1 by default, another tier's table when chosen, the team's own numbers over it", () => {
    expect(effectiveQueueLimits("openai", null)).toMatchObject({ tier: "Tier 1", maxUnfinished: null, enqueuedTokens: { "gpt-4o-mini": 2_000_000, "gpt-4o": 90_000 } });
    const t2 = effectiveQueueLimits("openai", { tier: "Tier 2" });
    expect(t2.enqueuedTokens["gpt-4o-mini"]).toBe(20_000_000);
    // A tier without a documented value for a model leaves that model unlimited, not a guess.
    expect(t2.enqueuedTokens["gpt-4o"]).toBeUndefined();
    expect(effectiveQueueLimits("openai", { tier: "Tier 2", enqueuedTokens: { "gpt-4o": 1_350_000 } }).enqueuedTokens["gpt-4o"]).toBe(1_350_000);
  });

  it("Bailian: 1000 unfinished tasks unless the team says otherwise; a custom kind: none", () => {
    expect(effectiveQueueLimits("bailian", null)).toEqual({ tier: null, enqueuedTokens: {}, maxUnfinished: 1000 });
    expect(effectiveQueueLimits("bailian", { maxUnfinished: 20 }).maxUnfinished).toBe(20);
    expect(effectiveQueueLimits("openai-compatible", null)).toEqual({ tier: null, enqueuedTokens: {}, maxUnfinished: null });
  });

  it("a stored value that no longer parses counts as none", () => {
    expect(parseQueueLimits("openai", { tier: "Tier 9" })).toBeNull();
    expect(parseQueueLimits("openai", { maxUnfinished: 0 })).toBeNull();
    expect(parseQueueLimits("openai", { enqueuedTokens: { "gpt-4o": 5 } })).toBeNull();
    expect(parseQueueLimits("openai", { tier: "Tier 3" })).toEqual({ tier: "Tier 3" });
  });

  it("a dated snapshot falls under its model, never under a shorter one while a longer matches", () => {
    const l = { "gpt-4o": 90_000, "gpt-4o-mini": 2_000_000 };
    expect(limitForModel(l, "gpt-4o-mini-2024-07-18")).toEqual({ name: "gpt-4o-mini", tokens: 2_000_000 });
    expect(limitForModel(l, "gpt-4o-2024-08-06")).toEqual({ name: "gpt-4o", tokens: 90_000 });
    expect(limitForModel(l, "gpt-4o")).toEqual({ name: "gpt-4o", tokens: 90_000 });
    expect(limitForModel(l, "gpt-4")).toBeUndefined();
    expect(limitForModel(l, "gpt-4omni")).toBeUndefined();
  });

  it("says token counts short", () => {
    expect([shortTokens(900), shortTokens(90_000), shortTokens(1_200_000), shortTokens(2_000_000), shortTokens(15_000_000_000)]).toEqual(["900", "90K", "1.2M", "2M", "15B"]);
  });
});

describe("the form", () => {
  it("pre-fills the tier's table and keeps only what differs from it", () => {
    const f = queueLimitsFormValues("openai", null);
    expect(f.values.tier).toBe("Tier 1");
    expect(f.values.enqueuedTokens).toContain("gpt-4o-mini = 2000000");
    expect(f.tiers.map((t) => t.name)).toEqual(["Tier 1", "Tier 2", "Tier 3", "Tier 4", "Tier 5"]);
    // The tier's own table sent back unchanged stores nothing but the tier.
    expect(queueLimitsFromForm("openai", { connectionId: "c", tier: "Tier 2", enqueuedTokens: "gpt-4o-mini = 20,000,000\n\n", maxUnfinished: "" })).toEqual({ limits: { tier: "Tier 2" } });
    expect(queueLimitsFromForm("openai", { connectionId: "c", tier: "Tier 1", enqueuedTokens: "gpt-4o-mini = 2000000\ngpt-4.1-mini: 5_000_000", maxUnfinished: "50" })).toEqual({
      limits: { enqueuedTokens: { "gpt-4.1-mini": 5_000_000 }, maxUnfinished: 50 },
    });
  });

  it("names the line or field that is wrong", () => {
    expect(queueLimitsFromForm("openai", { connectionId: "c", enqueuedTokens: "gpt-4o-mini 2000000" }).fieldErrors).toEqual({
      enqueuedTokens: 'Line 1 ("gpt-4o-mini 2000000") is not "model = tokens", e.g. "gpt-4o-mini = 2000000".',
    });
    expect(queueLimitsFromForm("openai", { connectionId: "c", enqueuedTokens: "gpt-4o = 12" }).fieldErrors).toEqual({ enqueuedTokens: "gpt-4o: Enqueued tokens must be at least 1,000." });
    expect(queueLimitsFromForm("bailian", { connectionId: "c", maxUnfinished: "lots" }).fieldErrors).toEqual({ maxUnfinished: "Unfinished batches must be a number." });
    expect(queueLimitsFromForm("openai", { connectionId: "c", tier: "Tier 7" }).fieldErrors).toEqual({ tier: "Choose one of the usage tiers Tier 1, Tier 2, Tier 3, Tier 4, Tier 5." });
  });
});
