// toAnthropicParams and customIdProblem: what converts, what is a problem, and the Anthropic
// profile's limits (checked by the shared checks as for any profile).
import { describe, expect, it } from "vitest";
import { checkFileForProfile, checkWindow } from "@/lib/providers/checks";
import { profileOf } from "@/lib/providers/profiles";
import { DEFAULT_MAX_TOKENS, customIdProblem, toAnthropicParams } from "./convert";

describe("toAnthropicParams", () => {
  it("moves system and developer messages to system, keeps the turns, maps the sampling fields", () => {
    const out = toAnthropicParams({
      model: "claude-sonnet-4-5",
      messages: [
        { role: "system", content: "Be brief." },
        { role: "developer", content: [{ type: "text", text: "Answer in French." }] },
        { role: "user", content: "Hello" },
        { role: "assistant", content: "Bonjour" },
        { role: "user", content: [{ type: "text", text: "And this?" }, { type: "image_url", image_url: { url: "data:image/png;base64,iVBOR" } }] },
      ],
      max_completion_tokens: 300,
      max_tokens: 999,
      temperature: 0.2,
      top_p: 0.9,
      stop: "END",
      user: "u-42",
      n: 1,
      stream: false,
      seed: 7,
    });
    expect(out).toEqual({
      params: {
        model: "claude-sonnet-4-5",
        system: "Be brief.\n\nAnswer in French.",
        messages: [
          { role: "user", content: "Hello" },
          { role: "assistant", content: "Bonjour" },
          {
            role: "user",
            content: [
              { type: "text", text: "And this?" },
              { type: "image", source: { type: "base64", media_type: "image/png", data: "iVBOR" } },
            ],
          },
        ],
        max_tokens: 300, // max_completion_tokens wins over the older max_tokens
        temperature: 0.2,
        top_p: 0.9,
        stop_sequences: ["END"],
        metadata: { user_id: "u-42" },
      },
    });
  });

  it("takes max_tokens when set, the stated default otherwise; passes Anthropic's own fields", () => {
    const msgs = [{ role: "user", content: "Hi" }];
    expect(toAnthropicParams({ model: "m", messages: msgs, max_tokens: 50 }).params?.max_tokens).toBe(50);
    expect(toAnthropicParams({ model: "m", messages: msgs }).params?.max_tokens).toBe(DEFAULT_MAX_TOKENS);
    expect(toAnthropicParams({ model: "m", messages: msgs, top_k: 5, thinking: { type: "enabled", budget_tokens: 1024 }, stop: ["a", "b"] }).params).toMatchObject({
      top_k: 5,
      thinking: { type: "enabled", budget_tokens: 1024 },
      stop_sequences: ["a", "b"],
    });
    expect(toAnthropicParams({ model: "m", messages: msgs, image: null }).params).toBeDefined(); // nulls are "not set"
  });

  it("says what cannot be converted instead of dropping it", () => {
    const problems = (b: unknown) => toAnthropicParams(b).problems;
    expect(problems(null)).toEqual(["the body is not a JSON object"]);
    expect(problems({ messages: [{ role: "user", content: "x" }] })).toEqual(["body.model is missing"]);
    expect(problems({ model: "m", messages: [] })).toEqual(["body.messages must be a non-empty list"]);
    expect(problems({ model: "m", messages: [{ role: "system", content: "only a system prompt" }] })).toEqual(["body.messages has no user or assistant message"]);
    expect(problems({ model: "m", messages: [{ role: "tool", content: "42", tool_call_id: "t" }] })).toEqual([
      'messages[0] has role "tool", which cannot be converted (system, developer, user and assistant can)',
    ]);
    expect(problems({ model: "m", messages: [{ role: "user", content: [{ type: "input_audio", input_audio: {} }] }] })).toEqual([
      'messages[0].content[0] has type "input_audio", which cannot be converted (text and image_url can)',
    ]);
    expect(problems({ model: "m", messages: [{ role: "user", content: "x" }], temperature: 1.5 })).toEqual(["temperature is 1.5; Anthropic takes 0 to 1"]);
    expect(problems({ model: "m", messages: [{ role: "user", content: "x" }], max_tokens: 0 })).toEqual(["max_tokens must be a whole number of at least 1 (it is 0)"]);
    expect(problems({ model: "m", messages: [{ role: "user", content: "x" }], n: 3 })).toEqual(["n is 3; Anthropic answers once per request"]);
    expect(problems({ model: "m", messages: [{ role: "user", content: "x" }], tools: [], response_format: { type: "json_object" } })).toEqual([
      "tools, response_format have no Anthropic equivalent here; remove them",
    ]);
  });

  it("checks custom_id against Anthropic's rule", () => {
    expect(customIdProblem("req-0001_a")).toBeNull();
    expect(customIdProblem("x".repeat(64))).toBeNull();
    expect(customIdProblem("x".repeat(65))).toMatch(/must be 1 to 64 characters of letters, digits, "-" and "_"/);
    expect(customIdProblem("with space")).toMatch(/^custom_id "with space" must be/);
  });
});

describe("the Anthropic profile", () => {
  const p = profileOf("anthropic");
  it("takes chat-completions files up to 100,000 requests and 256 MB, on a fixed 24h window", () => {
    const file = { endpoint: "/v1/chat/completions", requestCount: 100_000, bytes: 256 * 1024 * 1024, models: ["a", "b"] };
    expect(checkFileForProfile(p, file)).toEqual([]);
    expect(checkFileForProfile(p, { ...file, requestCount: 100_001 }).map((x) => x.message)).toEqual([
      "The file has 100,001 requests, over Anthropic's limit of 100,000 per batch.",
    ]);
    expect(checkFileForProfile(p, { ...file, bytes: 256 * 1024 * 1024 + 1 })[0].message).toMatch(/over Anthropic's limit of 256.0 MB per file/);
    expect(checkFileForProfile(p, { ...file, endpoint: "/v1/embeddings" })[0].message).toBe("Anthropic does not offer /v1/embeddings; it offers /v1/chat/completions.");
    expect(checkWindow(p, "24h")).toEqual([]);
    expect(checkWindow(p, "48h")[0].message).toBe("Anthropic does not accept the completion window 48h; it accepts 24h.");
    expect(p.capabilities.protocol).toBe("anthropic-message-batches");
    expect(p.baseUrls[0].url).toBe("https://api.anthropic.com");
  });
});
