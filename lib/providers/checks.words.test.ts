// The launch form words a provider's limit problems from their codes (messages: launch.checks.*);
// launch refuses with their English message, which the server's catalogue words for a Chinese
// reader. Every code is made here, and each must read the same three ways.
import { createTranslator } from "next-intl";
import { describe, expect, it } from "vitest";
import en from "@/messages/en.json";
import zh from "@/messages/zh-CN.json";
import { localize } from "@/lib/i18n/server-messages";
import { bailianProfile } from "./bailian/profile";
import { batchMetadataFor, checkFileForProfile, checkWindow, lineChecker, PROFILE_PROBLEM_CODES, type ProfileProblem } from "./checks";
import { MB, type ProviderProfile } from "./profile";

const p: ProviderProfile = {
  ...bailianProfile,
  label: "Acme",
  endpoints: ["/v1/chat/completions", "/v1/x"],
  endpointRules: { "/v1/x": { models: ["m1"], maxRequests: 10, maxFileBytes: MB } },
  limits: { maxRequests: 5, maxFileBytes: MB, maxLineBytes: MB / 2, maxCustomIdLength: 4, asciiCustomId: true, oneModelPerBatch: true },
  metadata: { ...bailianProfile.metadata, nameMax: 3, descriptionMax: 3, maxPairs: 2, maxKeyLength: 3, maxValueLength: 3 },
};

function everyProblem(): ProfileProblem[] {
  const line = lineChecker(p);
  return [
    ...checkFileForProfile(p, { endpoint: "/v1/embeddings", requestCount: 1234, bytes: 2 * MB, models: ["a", "b"] }),
    ...checkFileForProfile(p, { endpoint: "/v1/x", requestCount: 1234, bytes: 2 * MB, models: ["m1", "z"] }),
    ...checkWindow(p, "5m"),
    ...batchMetadataFor(p, { name: "abcd", description: "abcd", metadata: { longkey: "longvalue", k2: "v" } }, { own: "x" }).problems,
    ...line({ line: 1, customId: "éééééé", bytes: MB, body: { enable_thinking: true } }),
    ...line({ line: 2, customId: "a", bytes: 10, body: {} }),
  ];
}

describe("a provider's limit problems in the reader's language", () => {
  const problems = everyProblem();
  const tEn = createTranslator({ locale: "en", messages: en, namespace: "launch.checks" });
  const tZh = createTranslator({ locale: "zh-CN", messages: zh, namespace: "launch.checks" });

  it("come with a code for every kind", () => {
    expect(new Set(problems.map((x) => x.code))).toEqual(new Set(PROFILE_PROBLEM_CODES));
  });

  it.each(everyProblem().map((x) => [x.code!, x] as const))("%s reads in English as launch refuses, and in Chinese as the catalogue words it", (code, x) => {
    expect(tEn(code, x.params as never)).toBe(x.message);
    const chinese = tZh(code, x.params as never);
    expect(chinese).toMatch(/[\u4e00-\u9fff]/);
    // The server's refusal keeps the accepted windows in English (describeWindows); the form words them.
    if (code !== "window") expect(chinese).toBe(localize(x.message, "zh-CN"));
  });

  it("words the accepted windows in the reader's language, as a range and as a list", () => {
    const [range] = checkWindow(p, "5m");
    expect(tZh("window", range.params as never)).not.toMatch(/whole|hours|days|e\.g\.| to /);
    expect(tZh("window", range.params as never)).toContain("以整");
    const [list] = checkWindow({ ...p, windowRule: { kind: "list", values: ["24h", "1h"] } }, "5m");
    expect(tEn("window", list.params as never)).toBe(list.message);
    expect(tEn("window", list.params as never)).toContain("it accepts 24h, 1h.");
    expect(tZh("window", list.params as never)).toContain("它接受 24h, 1h。");
  });
});
