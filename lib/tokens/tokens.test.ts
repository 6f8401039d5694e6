// Token counts against figures OpenAI published: the token ids in its tiktoken README and cookbook,
// and the cookbook's chat example ("How to count tokens with tiktoken"), which the API itself counted
// as 129 prompt tokens on gpt-3.5-turbo / gpt-4 and 124 on gpt-4o / gpt-4o-mini.
import { describe, expect, it } from "vitest";
import { encode, tokenCounter } from "./tokenizer";
import { requestTokens } from "./request";
import { baseModelName, tokenizerFor } from "./models";

const cookbookMessages = [
  { role: "system", content: "You are a helpful, pattern-following assistant that translates corporate jargon into plain English." },
  { role: "system", name: "example_user", content: "New synergies will help drive top-line growth." },
  { role: "system", name: "example_assistant", content: "Things working well together will increase revenue." },
  { role: "system", name: "example_user", content: "Let's circle back when we have more bandwidth to touch base on opportunities for increased leverage." },
  { role: "system", name: "example_assistant", content: "Let's talk later when we're less busy about how to do better." },
  { role: "user", content: "This late pivot means we don't have time to boil the ocean for the client deliverable." },
];

describe("tokenizer", () => {
  it("encodes fixed strings to OpenAI's published token ids", async () => {
    expect(await encode("cl100k_base", "tiktoken is great!")).toEqual([83, 1609, 5963, 374, 2294, 0]);
    expect(await encode("cl100k_base", "hello world")).toEqual([15339, 1917]);
    expect(await encode("o200k_base", "hello world")).toEqual([24912, 2375]);
    const o = await tokenCounter("o200k_base");
    const c = await tokenCounter("cl100k_base");
    expect(c.count("tiktoken is great!")).toBe(6);
    expect(o.count("hello world")).toBe(2);
    expect(o.count("")).toBe(0);
  });

  it("counts a special-token string as plain text instead of throwing", async () => {
    const o = await tokenCounter("o200k_base");
    const n = o.count("before <|endoftext|> after");
    expect(n).toBe((await encode("o200k_base", "before <|endoftext|> after")).length);
    expect(n).toBeGreaterThan(3);
  });

  it("gives the same count as encode() on mixed English, Chinese, code, numbers and whitespace", async () => {
    const samples = [
      "你好!有什么可以帮助你的吗?",
      "What is 2+2?   \n\n  Answer in    one word.\t\t",
      'const x = {"a": [1, 2, 3]}; // 批处理 推理 模型 1234567890 3.14159',
      "batch inference request 你好 批处理 ,\"quoted\"\nnext line token answer    \n",
      "Ünïcödé façade — naïve résumé 🚀🚀 emoji's here isn't it? I'LL DO IT'S",
      "abcdefghij".repeat(25),
    ];
    for (const enc of ["o200k_base", "cl100k_base"] as const) {
      const counter = await tokenCounter(enc);
      for (const s of samples) {
        // Twice: the second time the pieces come from the memo.
        expect(counter.count(s)).toBe((await encode(enc, s)).length);
        expect(counter.count(s)).toBe((await encode(enc, s)).length);
      }
    }
  });

  it("counts a very long unbroken run quickly, within 2% of the exact count", async () => {
    const o = await tokenCounter("o200k_base");
    const run = "3f9a1c7be2d4".repeat(60); // 720 characters, one piece
    const exact = (await encode("o200k_base", run)).length;
    expect(Math.abs(o.count(run) - exact) / exact).toBeLessThan(0.02);
    const t0 = performance.now();
    expect(o.count("q".repeat(100_000))).toBeGreaterThan(1000);
    const hex = Array.from({ length: 2000 }, (_, i) => (i * 2654435761 >>> 0).toString(16).padStart(8, "0")).join("");
    expect(o.count(hex)).toBeGreaterThan(2000);
    expect(performance.now() - t0).toBeLessThan(3000);
  });
});

describe("requestTokens", () => {
  it("matches the cookbook's chat example: 129 tokens with cl100k (gpt-4), 124 with o200k (gpt-4o)", async () => {
    const body = { model: "gpt-4o", messages: cookbookMessages };
    expect(requestTokens("/v1/chat/completions", body, await tokenCounter("cl100k_base")).input).toBe(129);
    expect(requestTokens("/v1/chat/completions", body, await tokenCounter("o200k_base")).input).toBe(124);
  });

  it("adds 3 tokens a message and 3 for the reply to the content", async () => {
    const o = await tokenCounter("o200k_base");
    const body = { messages: [{ role: "user", content: "hello world" }] };
    // 3 (message) + 1 ("user") + 2 ("hello world") + 3 (reply priming)
    expect(requestTokens("/v1/chat/completions", body, o)).toEqual({ input: 9, maxOutput: null, media: 0 });
  });

  it("reads the output ceiling from max_completion_tokens, max_tokens or max_output_tokens", async () => {
    const o = await tokenCounter("o200k_base");
    const m = [{ role: "user", content: "hi" }];
    expect(requestTokens("/v1/chat/completions", { messages: m, max_tokens: 100 }, o).maxOutput).toBe(100);
    expect(requestTokens("/v1/chat/completions", { messages: m, max_tokens: 100, max_completion_tokens: 40 }, o).maxOutput).toBe(40);
    expect(requestTokens("/v1/responses", { input: "hi", max_output_tokens: 70 }, o).maxOutput).toBe(70);
    expect(requestTokens("/v1/chat/completions", { messages: m, max_tokens: "lots" }, o).maxOutput).toBeNull();
  });

  it("counts embeddings input without framing and expects no output", async () => {
    const o = await tokenCounter("o200k_base");
    expect(requestTokens("/v1/embeddings", { input: "hello world" }, o)).toEqual({ input: 2, maxOutput: 0, media: 0 });
    expect(requestTokens("/v1/embeddings", { input: ["hello world", "hello world"] }, o).input).toBe(4);
    expect(requestTokens("/v1/embeddings", { input: [[1, 2, 3], [4]] }, o).input).toBe(4);
  });

  it("counts the Responses API's instructions and input as messages", async () => {
    const o = await tokenCounter("o200k_base");
    const viaResponses = requestTokens("/v1/responses", { instructions: "Be brief.", input: "hello world" }, o).input;
    const viaChat = requestTokens("/v1/chat/completions", { messages: [{ role: "system", content: "Be brief." }, { role: "user", content: "hello world" }] }, o).input;
    expect(viaResponses).toBe(viaChat);
  });

  it("counts text parts, reports images, and counts tool definitions as JSON", async () => {
    const o = await tokenCounter("o200k_base");
    const parts = { messages: [{ role: "user", content: [{ type: "text", text: "hello world" }, { type: "image_url", image_url: { url: "data:..." } }] }] };
    expect(requestTokens("/v1/chat/completions", parts, o)).toEqual({ input: 9, maxOutput: null, media: 1 });
    const tools = [{ type: "function", function: { name: "lookup", parameters: { type: "object" } } }];
    const withTools = requestTokens("/v1/chat/completions", { messages: [{ role: "user", content: "hello world" }], tools }, o).input;
    expect(withTools).toBe(9 + o.count(JSON.stringify(tools)));
  });
});

describe("tokenizerFor", () => {
  it("uses each OpenAI model's own encoding and says other models are estimates", () => {
    for (const m of ["gpt-4o", "gpt-4o-mini-2024-07-18", "gpt-4.1-nano", "o3-mini", "o4-mini", "gpt-5", "openai/gpt-4o", "ft:gpt-4o-mini:acme::abc"]) {
      expect(tokenizerFor(m), m).toMatchObject({ encoding: "o200k_base", exact: true });
    }
    for (const m of ["gpt-4", "gpt-4-turbo", "gpt-3.5-turbo-0125", "text-embedding-3-small", "text-embedding-ada-002"]) {
      expect(tokenizerFor(m), m).toMatchObject({ encoding: "cl100k_base", exact: true });
    }
    for (const m of ["qwen-plus", "kimi-k2-0905-preview", "claude-sonnet-4-20250514", "meta-llama/Llama-3.3-70B-Instruct-Turbo", "deepseek-r1"]) {
      const t = tokenizerFor(m);
      expect(t, m).toMatchObject({ encoding: "o200k_base", exact: false });
      expect(t.method).toContain("estimate");
    }
    expect(baseModelName("OpenAI/GPT-4o")).toBe("gpt-4o");
  });
});
