// The split planner at and just over each limit: requests, file bytes, line bytes, one model (and
// one thinking mode) per batch, interleaved models, and the cap on parts.
import { describe, expect, it } from "vitest";
import { profiles } from "@/lib/providers/profiles";
import type { ProviderLimits, ProviderProfile } from "@/lib/providers/profile";
import { requestLine } from "@/lib/providers/openai-compatible/batch";
import { createPlanner, planLines, providerLine, splitLimits, type PlanLine } from "./split";

const EP = "/v1/chat/completions";

function acme(limits: Partial<ProviderLimits>): ProviderProfile {
  const p = profiles["openai-compatible"];
  return { ...p, label: "Acme", limits: { ...p.limits, ...limits } };
}

/** n lines of `bytes` bytes each (without the newline), models cycling through `models`. */
function lines(n: number, opts: { bytes?: number; models?: string[]; from?: number } = {}): PlanLine[] {
  const models = opts.models ?? ["m1"];
  return Array.from({ length: n }, (_, i) => ({
    line: (opts.from ?? 1) + i,
    customId: `r-${i + 1}`,
    bytes: opts.bytes ?? 99,
    model: models[i % models.length],
  }));
}

const ranges = (plan: { parts: { fromLine: number; toLine: number }[] }) => plan.parts.map((p) => [p.fromLine, p.toLine]);

describe("requests", () => {
  it("keeps a file at the limit in one part", () => {
    const plan = planLines(acme({ maxRequests: 3 }), EP, lines(3));
    expect(ranges(plan)).toEqual([[1, 3]]);
    expect(plan.reasons).toEqual([]);
  });

  it("cuts one request over it into a second part", () => {
    const plan = planLines(acme({ maxRequests: 3 }), EP, lines(4));
    expect(ranges(plan)).toEqual([
      [1, 3],
      [4, 4],
    ]);
    expect(plan.parts.map((p) => p.requests)).toEqual([3, 1]);
    expect(plan.reasons).toEqual(["requests"]);
    expect(plan).toMatchObject({ requests: 4, bytes: 400 });
  });

  it("splits 50,001 requests on OpenAI's real 50,000 into 50,000 + 1", () => {
    const plan = planLines(profiles.openai, EP, lines(50_001, { bytes: 10 }));
    expect(plan.parts.map((p) => p.requests)).toEqual([50_000, 1]);
    expect(planLines(profiles.openai, EP, lines(50_000, { bytes: 10 })).parts).toHaveLength(1);
  });

  it("keeps to an endpoint's own tighter rule (Bailian's test endpoint: 100 requests)", () => {
    expect(splitLimits(profiles.bailian, "/v1/chat/ds-test").maxRequests).toBe(100);
    const plan = planLines(profiles.bailian, "/v1/chat/ds-test", lines(101, { bytes: 10, models: ["batch-test-model"] }));
    expect(plan.parts.map((p) => p.requests)).toEqual([100, 1]);
  });
});

describe("file bytes (each line counted with its newline)", () => {
  it("fits lines that fill the limit exactly", () => {
    // 3 lines of 99 bytes + newline = 300 bytes.
    const plan = planLines(acme({ maxFileBytes: 300, maxLineBytes: 200 }), EP, lines(3));
    expect(ranges(plan)).toEqual([[1, 3]]);
    expect(plan.parts[0].bytes).toBe(300);
  });

  it("cuts when one more byte would not fit", () => {
    const plan = planLines(acme({ maxFileBytes: 299, maxLineBytes: 200 }), EP, lines(4));
    expect(ranges(plan)).toEqual([
      [1, 2],
      [3, 4],
    ]);
    expect(plan.parts.map((p) => p.bytes)).toEqual([200, 200]);
    expect(plan.reasons).toEqual(["bytes"]);
  });

  it("cuts on whichever limit comes first, and says both", () => {
    const plan = planLines(acme({ maxRequests: 2, maxFileBytes: 250, maxLineBytes: 200 }), EP, [
      ...lines(3, { bytes: 49 }), // 50 bytes each: requests cut after 2
      ...lines(3, { bytes: 149, from: 4 }), // 150 each: bytes cut after each
    ]);
    expect(ranges(plan)).toEqual([
      [1, 2],
      [3, 4],
      [5, 5],
      [6, 6],
    ]);
    expect(plan.reasons).toEqual(["requests", "bytes"]);
  });
});

describe("line bytes", () => {
  it("takes a line at the line limit", () => {
    const plan = planLines(acme({ maxLineBytes: 1000, maxFileBytes: 5000 }), EP, [...lines(1), { line: 2, customId: "big", bytes: 1000, model: "m1" }]);
    expect(plan.parts).toHaveLength(1);
  });

  it("refuses a line one byte over it, naming the line: it cannot be split", () => {
    const big = { line: 2, customId: "big", bytes: 1001, model: "m1" };
    expect(() => planLines(acme({ maxLineBytes: 1000, maxFileBytes: 5000 }), EP, [...lines(1), big, ...lines(2, { from: 3 })])).toThrow(
      "Line 2 is 0.0 MB, over Acme's limit of 0.0 MB per line. A line cannot be split across batches: shorten it or remove it from the file.",
    );
  });

  it("refuses a line that alone (with its newline) is over the file limit", () => {
    expect(() => planLines(acme({ maxLineBytes: 100, maxFileBytes: 100 }), EP, [{ line: 7, customId: "x", bytes: 100, model: "m1" }])).toThrow(
      /^Line 7 alone is 101 bytes, over Acme's limit of 100 bytes per file\. A line cannot be split/,
    );
  });

  it("lists several such lines", () => {
    const l = lines(5);
    l[1].bytes = 5000;
    l[3].customId = "x".repeat(30);
    expect(() => planLines(acme({ maxLineBytes: 1000, maxFileBytes: 10_000, maxCustomIdLength: 20 }), EP, l)).toThrow(
      /^2 problems on lines no batch of Acme can take \(lines 2, 4\).*Line 4: custom_id is 30 characters, over Acme's limit of 20\./,
    );
  });
});

describe("one model per batch", () => {
  const moon = profiles.moonshot;

  it("keeps a one-model file whole", () => {
    expect(planLines(moon, EP, lines(5, { models: ["kimi-k2"] })).parts).toHaveLength(1);
  });

  it("cuts where the model changes, each part naming its model", () => {
    const l = [...lines(2, { models: ["a"] }), ...lines(3, { models: ["b"], from: 3 })];
    const plan = planLines(moon, EP, l);
    expect(plan.parts).toMatchObject([
      { fromLine: 1, toLine: 2, model: "a", requests: 2 },
      { fromLine: 3, toLine: 5, model: "b", requests: 3 },
    ]);
    expect(plan.reasons).toEqual(["model"]);
  });

  it("does not cut on models where the provider takes several", () => {
    expect(planLines(acme({}), EP, lines(6, { models: ["a", "b"] })).parts).toHaveLength(1);
  });

  it("cuts where Bailian's thinking mode changes", () => {
    const l = lines(4, { models: ["qwen-plus"] }).map((x, i) => ({ ...x, thinking: i < 2 ? "true" : "false" }));
    expect(ranges(planLines(profiles.bailian, EP, l))).toEqual([
      [1, 2],
      [3, 4],
    ]);
  });

  it("takes interleaved models up to the cap of runs", () => {
    const plan = planLines(moon, EP, lines(50, { models: ["a", "b"] }), { maxModelRuns: 50 });
    expect(plan.parts).toHaveLength(50);
  });

  it("refuses interleaved models just over it, naming them and saying to sort the file", () => {
    expect(() => planLines(moon, EP, lines(51, { models: ["a", "b"] }), { maxModelRuns: 50 })).toThrow(
      "Moonshot (Kimi) takes one model per batch, and this file's models are interleaved (a, b): split in line order it would need more than 50 batches. Sort the file by model (all lines of one model together) and upload it again.",
    );
  });

  it("takes many models when each is together (sorted), even past the cap", () => {
    const sorted = Array.from({ length: 60 }, (_, i) => ({ line: i + 1, customId: `r${i}`, bytes: 10, model: `m${i}` }));
    expect(planLines(moon, EP, sorted, { maxModelRuns: 50 }).parts).toHaveLength(60);
  });
});

describe("the cap on parts and numbering", () => {
  it("plans exactly the cap, refuses one over", () => {
    expect(planLines(acme({ maxRequests: 1 }), EP, lines(5), { maxParts: 5 }).parts).toHaveLength(5);
    expect(() => planLines(acme({ maxRequests: 1 }), EP, lines(6), { maxParts: 5 })).toThrow(
      "Split for Acme's limits (1 request, 200 MB per batch), this file would need more than 5 batches. Split it into smaller files first, or raise the connection's limits.",
    );
  });

  it("numbers from firstPart when resuming", () => {
    const plan = planLines(acme({ maxRequests: 2 }), EP, lines(3, { from: 10 }), { firstPart: 4 });
    expect(plan.parts.map((p) => [p.part, p.fromLine, p.toLine])).toEqual([
      [4, 10, 11],
      [5, 12, 12],
    ]);
  });

  it("streams: add() refuses as soon as the answer is certain", () => {
    const p = createPlanner(profiles.moonshot, EP, { maxModelRuns: 3 });
    p.add({ line: 1, customId: "1", bytes: 5, model: "a" });
    p.add({ line: 2, customId: "2", bytes: 5, model: "b" });
    p.add({ line: 3, customId: "3", bytes: 5, model: "a" });
    expect(() => p.add({ line: 4, customId: "4", bytes: 5, model: "b" })).toThrow(/interleaved \(a, b\)/);
  });
});

describe("providerLine", () => {
  it("is the line the OpenAI-compatible adapter writes into the input file (its newline included)", () => {
    expect(providerLine("a", EP, { model: "m" })).toBe(`{"custom_id":"a","method":"POST","url":"${EP}","body":{"model":"m"}}\n`);
    // The planner counts the bytes the adapter sends: the two must agree.
    expect(providerLine("a", EP, { model: "m" })).toBe(`${requestLine("a", EP, { model: "m" })}\n`);
  });
});
