// Each profile's checks at, and just over, every limit providers.md states, and the capabilities
// each profile declares.
import { describe, expect, it } from "vitest";
import { loosest, profileOf, profiles, uploadLimits, uploadLimitsFor } from "./profiles";
import { batchMetadataFor, checkFileForProfile, checkLineForProfile, checkWindow } from "./checks";
import { acceptsWindow } from "./windows";
import { normaliseStatus } from "./status";

const MB = 1024 * 1024;
const file = (over: Partial<Parameters<typeof checkFileForProfile>[1]> = {}) => ({
  endpoint: "/v1/chat/completions",
  requestCount: 10,
  bytes: 1000,
  models: ["m"],
  ...over,
});
const messages = (kind: string, f: ReturnType<typeof file>) => checkFileForProfile(profileOf(kind), f).map((p) => p.message);

const limits: [kind: string, requests: number, fileMb: number, lineMb: number, customId: number | undefined, oneModel: boolean][] = [
  ["sandbox", 50_000, 200, 6, 512, false],
  ["openai", 50_000, 200, 200, undefined, false],
  ["doubleword", 50_000, 200, 200, 64, false],
  ["moonshot", 50_000, 100, 100, undefined, true],
  ["bailian", 50_000, 500, 6, undefined, true],
  ["groq", 50_000, 100, 100, undefined, false],
  ["together", 50_000, 100, 100, undefined, false],
  ["openai-compatible", 50_000, 200, 200, undefined, false],
  ["anthropic", 100_000, 256, 256, 64, false],
  ["anthropic-compatible", 100_000, 256, 256, 64, false],
];

describe("profiles", () => {
  it("cover every provider of providers.md, each with its base URLs", () => {
    expect(Object.keys(profiles).sort()).toEqual(["anthropic", "anthropic-compatible", "bailian", "doubleword", "groq", "moonshot", "openai", "openai-compatible", "sandbox", "together"]);
    expect(profileOf("moonshot").baseUrls.map((u) => u.url)).toEqual(["https://api.moonshot.cn/v1", "https://api.moonshot.ai/v1"]);
    expect(profileOf("bailian").baseUrls.map((u) => u.label)).toEqual(["Beijing", "Singapore"]);
    expect(profileOf("bailian").baseUrls[1].url).toBe("https://dashscope-intl.aliyuncs.com/compatible-mode/v1");
    expect(profileOf("groq").baseUrls[0].url).toBe("https://api.groq.com/openai/v1");
    expect(profileOf("together").uploadPurpose).toBe("batch-api");
    for (const p of Object.values(profiles)) {
      for (const w of p.completionWindows) expect(acceptsWindow(p, w), `${p.kind} offers ${w}`).toBe(true);
    }
  });

  for (const [kind, requests, fileMb, lineMb, customId, oneModel] of limits) {
    it(`${kind}: requests, file size, line size, custom_id and models at and just over the limit`, () => {
      const p = profileOf(kind);
      expect(messages(kind, file({ requestCount: requests }))).toEqual([]);
      expect(messages(kind, file({ requestCount: requests + 1 }))).toEqual([
        `The file has ${(requests + 1).toLocaleString("en-US")} requests, over ${p.label}'s limit of ${requests.toLocaleString("en-US")} per batch.`,
      ]);
      expect(messages(kind, file({ bytes: fileMb * MB }))).toEqual([]);
      expect(messages(kind, file({ bytes: fileMb * MB + 1 }))).toEqual([
        `The file is ${(fileMb + 1 / MB).toFixed(1)} MB, over ${p.label}'s limit of ${fileMb.toFixed(1)} MB per file.`,
      ]);
      expect(checkLineForProfile(p, { line: 7, customId: "a", bytes: lineMb * MB })).toEqual([]);
      expect(checkLineForProfile(p, { line: 7, customId: "a", bytes: lineMb * MB + 1 }).map((x) => [x.line, x.message])).toEqual([
        [7, `Line 7 is ${(lineMb + 1 / MB).toFixed(1)} MB, over ${p.label}'s limit of ${lineMb.toFixed(1)} MB per line.`],
      ]);
      if (customId !== undefined) {
        expect(checkLineForProfile(p, { line: 3, customId: "x".repeat(customId), bytes: 10 })).toEqual([]);
        expect(checkLineForProfile(p, { line: 3, customId: "x".repeat(customId + 1), bytes: 10 })[0].message).toBe(
          `Line 3: custom_id is ${customId + 1} characters, over ${p.label}'s limit of ${customId}.`,
        );
      } else {
        expect(checkLineForProfile(p, { line: 3, customId: "x".repeat(10_000), bytes: 10 })).toEqual([]);
      }
      expect(messages(kind, file({ models: ["a"] }))).toEqual([]);
      expect(messages(kind, file({ models: ["a", "b"] }))).toEqual(oneModel ? [`${p.label} takes one model per batch; this file uses 2 (a, b).`] : []);
      // Uploads checked for this provider get the same limits (and a custom_id bound when it has none).
      expect(uploadLimitsFor(p)).toMatchObject({ maxRequests: requests, maxFileBytes: fileMb * MB, maxLineBytes: lineMb * MB });
    });
  }

  it("Any provider's limits are the loosest: each the most any profile allows, a rule only when all have it", () => {
    const all = Object.values(profiles);
    for (const k of ["maxRequests", "maxFileBytes", "maxLineBytes"] as const) {
      expect(uploadLimits[k]).toBe(Math.max(...all.map((p) => p.limits[k])));
      for (const p of all) expect(uploadLimits[k]).toBeGreaterThanOrEqual(p.limits[k]);
    }
    // A 7 MB line fails for the Sandbox (6 MB) and Bailian, passes for OpenAI: so it passes for any provider.
    expect(uploadLimits.maxLineBytes).toBeGreaterThan(7 * MB);
    expect(uploadLimits).toMatchObject({ asciiCustomId: false, oneModelPerBatch: false, maxCustomIdLength: 512 });
    expect(loosest([profileOf("doubleword"), profileOf("anthropic")])).toMatchObject({ asciiCustomId: true, maxCustomIdLength: 64, maxRequests: 100_000 });
  });

  it("Doubleword wants custom_id in plain ASCII", () => {
    expect(checkLineForProfile(profileOf("doubleword"), { line: 1, customId: "café", bytes: 10 })[0].message).toBe("Line 1: custom_id must be plain ASCII for Doubleword.");
  });

  it("completion windows in each provider's own syntax, at and just past the bounds", () => {
    const cases: [string, string[], string[]][] = [
      ["openai", ["24h"], ["1h", "48h", "1d"]],
      ["sandbox", ["24h", "1h"], ["48h"]],
      ["doubleword", ["24h", "1h"], ["2h", "48h", "1d"]],
      ["moonshot", ["12h", "24h", "168h", "7d"], ["11h", "169h", "8d"]],
      ["bailian", ["24h", "48h", "336h", "1d", "14d"], ["23h", "337h", "15d", "24 h", "1.5d", "24H", "0h"]],
      ["groq", ["24h", "168h", "7d"], ["23h", "169h", "8d"]],
      ["together", ["24h"], ["48h", "1h"]],
    ];
    for (const [kind, ok, no] of cases) {
      for (const w of ok) expect(checkWindow(profileOf(kind), w), `${kind} ${w}`).toEqual([]);
      for (const w of no) expect(checkWindow(profileOf(kind), w)[0]?.field, `${kind} ${w}`).toBe("completionWindow");
    }
    expect(checkWindow(profileOf("bailian"), "15d")[0].message).toBe(
      "Alibaba Bailian (DashScope) does not accept the completion window 15d; it accepts 24h to 336h (14d), in whole hours or days, e.g. 48h or 2d.",
    );
    expect(checkWindow(profileOf("doubleword"), "2h")[0].message).toBe("Doubleword does not accept the completion window 2h; it accepts 24h, 1h.");
  });

  it("endpoints each provider offers, and Bailian's test endpoint for its test model only", () => {
    expect(messages("moonshot", file({ endpoint: "/v1/embeddings" }))).toEqual([
      "Moonshot (Kimi) does not offer /v1/embeddings; it offers /v1/chat/completions.",
    ]);
    expect(messages("together", file({ endpoint: "/v1/completions" }))).toEqual([]);
    expect(messages("together", file({ endpoint: "/v1/embeddings" }))).toHaveLength(1);
    expect(messages("openai", file({ endpoint: "/v1/chat/ds-test" }))).toHaveLength(1);
    const test = (over: Partial<ReturnType<typeof file>>) => messages("bailian", file({ endpoint: "/v1/chat/ds-test", models: ["batch-test-model"], ...over }));
    expect(test({ requestCount: 100, bytes: MB })).toEqual([]);
    expect(test({ requestCount: 101 })).toEqual(["Alibaba Bailian (DashScope)'s /v1/chat/ds-test takes at most 100 requests; this file has 101."]);
    expect(test({ bytes: MB + 1 })).toEqual(["Alibaba Bailian (DashScope)'s /v1/chat/ds-test takes files of at most 1.0 MB; this one is 1.0 MB."]);
    expect(test({ models: ["qwen-plus"] })).toEqual(["Alibaba Bailian (DashScope)'s /v1/chat/ds-test takes only batch-test-model; this file uses qwen-plus."]);
  });

  it("Moonshot's file name rule", () => {
    const rule = profileOf("moonshot").limits.fileName!;
    expect(rule.pattern.test("questions.jsonl")).toBe(true);
    expect(rule.pattern.test("questions.json")).toBe(false);
    expect(rule.pattern.test("questions.jsonl.txt")).toBe(false);
  });

  it("metadata: Bailian's ds_name (100) and ds_description (200), OpenAI's 16 pairs, key 64, value 512", () => {
    const bailian = profileOf("bailian");
    const ok = batchMetadataFor(bailian, { name: "n".repeat(100), description: "d".repeat(200) }, { batchboard_batch_id: "b1" });
    expect(ok.problems).toEqual([]);
    expect(ok.metadata).toEqual({ ds_name: "n".repeat(100), ds_description: "d".repeat(200), batchboard_batch_id: "b1" });
    const over = batchMetadataFor(bailian, { name: "n".repeat(101), description: "d".repeat(201) }, {});
    expect(over.problems.map((p) => [p.field, p.message])).toEqual([
      ["name", "Alibaba Bailian (DashScope) keeps a batch name (metadata ds_name) to 100 characters; this one has 101."],
      ["description", "Alibaba Bailian (DashScope) keeps a description (metadata ds_description) to 200 characters; this one has 201."],
    ]);

    const openai = profileOf("openai");
    const pairs = (n: number) => Object.fromEntries(Array.from({ length: n }, (_, i) => [`k${i}`, "v"]));
    // name + description + our id + 13 of the user's = 16.
    expect(batchMetadataFor(openai, { name: "n", description: "d", metadata: pairs(13) }, { id: "x" }).problems).toEqual([]);
    expect(batchMetadataFor(openai, { name: "n", description: "d", metadata: pairs(14) }, { id: "x" }).problems[0].message).toBe(
      "OpenAI takes at most 16 metadata pairs; this batch would send 17.",
    );
    expect(batchMetadataFor(openai, { name: "n", metadata: { ["k".repeat(64)]: "v".repeat(512) } }, {}).problems).toEqual([]);
    expect(batchMetadataFor(openai, { name: "n", metadata: { ["k".repeat(65)]: "v" } }, {}).problems).toHaveLength(1);
    expect(batchMetadataFor(openai, { name: "n", metadata: { k: "v".repeat(513) } }, {}).problems[0].message).toBe(
      'Metadata value of "k" is 513 characters, over OpenAI\'s limit of 512.',
    );
    expect(batchMetadataFor(openai, { name: "n", description: "d".repeat(513) }, {}).problems[0].field).toBe("description");
  });

  it("statuses: Together's upper case and CANCELING map like the others; the raw value is kept by the caller", () => {
    expect(["VALIDATING", "IN_PROGRESS", "COMPLETED", "FAILED", "EXPIRED", "CANCELLED", "CANCELING"].map(normaliseStatus)).toEqual([
      "VALIDATING",
      "IN_PROGRESS",
      "COMPLETED",
      "FAILED",
      "EXPIRED",
      "CANCELLED",
      "CANCELLING",
    ]);
    expect(normaliseStatus("finalizing")).toBe("FINALIZING");
    // Doubleword's seed lists "expired" ("Batch timed out") among its statuses.
    expect(profileOf("doubleword").statuses.never).toBeUndefined();
    expect(profileOf("together").statuses.spelling).toBe("upper");
  });
});

describe("capabilities", () => {
  it("are data on each profile: what the engine and the pages read instead of a provider's name", () => {
    const c = (kind: string) => profileOf(kind).capabilities;
    for (const kind of ["sandbox", "openai", "doubleword", "moonshot", "bailian", "groq", "together", "openai-compatible"]) {
      expect(c(kind)).toMatchObject({ protocol: "openai-batch", input: "file", recoverByMetadata: true, split: true, cancel: true });
    }
    for (const kind of ["anthropic", "anthropic-compatible"]) {
      expect(c(kind)).toMatchObject({ protocol: "anthropic-message-batches", input: "inline", recoverByMetadata: false, split: false, cancel: true, resultRetentionDays: 29 });
      expect(c(kind).inputNotKept).toMatch(/^Imported without its requests: Anthropic keeps no input file/);
    }
    expect(Object.values(profiles).filter((p) => p.capabilities.partialResults).map((p) => p.kind)).toEqual(["doubleword"]);
    expect(Object.values(profiles).filter((p) => p.capabilities.dryRun).map((p) => p.kind)).toEqual(["bailian"]);
    expect(Object.values(profiles).filter((p) => p.capabilities.listBatches?.multiStatus).map((p) => p.kind)).toEqual(["bailian"]);
    expect(c("bailian").listBatches?.maxAgeDays).toBe(30);
    expect(c("together").listBatches?.shape).toBe("array");
    // What the providers' own documents ask: Doubleword 30-60 s between polls, Bailian once a minute.
    expect(c("doubleword").pollIntervalMs).toBe(30_000);
    expect(c("bailian").pollIntervalMs).toBe(60_000);
    expect(c("bailian").rateLimits).toEqual({ create: 1000, retrieve: 1000, list: 100, cancel: 1000, maxUnfinished: 1000, maxUnfinishedPerModel: { "batch-test-model": 2 } });
  });

  it("name the sandbox mode imitating each kind a person may add; only the Sandbox is built in", () => {
    expect(Object.values(profiles).filter((p) => p.builtIn).map((p) => p.kind)).toEqual(["sandbox"]);
    const modes = Object.fromEntries(Object.values(profiles).filter((p) => !p.builtIn).map((p) => [p.kind, p.sandboxMode]));
    expect(modes).toEqual({
      openai: "openai",
      doubleword: "doubleword",
      moonshot: "moonshot",
      bailian: "bailian",
      groq: "groq",
      together: "together",
      anthropic: "anthropic",
      "anthropic-compatible": "anthropic",
      // Any OpenAI-compatible server: the lenient built-in Sandbox (any model, windows 1h..14d), not OpenAI's own rules.
      "openai-compatible": "custom",
    });
  });
});
