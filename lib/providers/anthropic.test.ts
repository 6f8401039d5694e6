// The pure half of the Anthropic adapter: chat-completions bodies as Messages params (and what cannot
// be converted), batch objects as our statuses and counts, result lines as Result rows.
import { describe, expect, it } from "vitest";
import type { MessageBatch } from "@anthropic-ai/sdk/resources/messages/batches";
import { DEFAULT_MAX_TOKENS, anthropicFields, anthropicStatus, customIdProblem, parseAnthropicResultLine, toAnthropicParams } from "./anthropic";
import { profileOf } from "./profiles";
import { checkFileForProfile, checkWindow } from "./checks";

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

const batch = (over: Partial<MessageBatch> = {}): MessageBatch => ({
  id: "msgbatch_01",
  type: "message_batch",
  processing_status: "in_progress",
  request_counts: { processing: 5, succeeded: 0, errored: 0, canceled: 0, expired: 0 },
  created_at: "2026-11-22T08:00:00Z",
  expires_at: "2026-11-23T08:00:00Z",
  ended_at: null,
  cancel_initiated_at: null,
  archived_at: null,
  results_url: null,
  ...over,
});

describe("status and counts", () => {
  it("maps in_progress, canceling and ended (completed, cancelled or expired) onto ours", () => {
    expect(anthropicStatus(batch())).toBe("IN_PROGRESS");
    expect(anthropicStatus(batch({ processing_status: "canceling", cancel_initiated_at: "2026-11-22T08:01:00Z" }))).toBe("CANCELLING");
    const ended = { processing_status: "ended" as const, ended_at: "2026-11-22T09:00:00Z" };
    expect(anthropicStatus(batch({ ...ended, request_counts: { processing: 0, succeeded: 4, errored: 1, canceled: 0, expired: 0 } }))).toBe("COMPLETED");
    expect(anthropicStatus(batch({ ...ended, cancel_initiated_at: "2026-11-22T08:30:00Z" }))).toBe("CANCELLED");
    expect(anthropicStatus(batch({ ...ended, request_counts: { processing: 0, succeeded: 3, errored: 0, canceled: 0, expired: 2 } }))).toBe("EXPIRED");
  });

  it("counts succeeded as completed, errored + canceled + expired as failed, their sum as the total; RFC 3339 times", () => {
    const f = anthropicFields(
      batch({
        processing_status: "ended",
        cancel_initiated_at: "2026-11-22T08:30:00Z",
        ended_at: "2026-11-22T08:31:00.500Z",
        results_url: "https://api.anthropic.com/v1/messages/batches/msgbatch_01/results",
        request_counts: { processing: 0, succeeded: 2, errored: 1, canceled: 3, expired: 0 },
      }),
    );
    expect(f).toMatchObject({
      status: "CANCELLED",
      rawStatus: "ended",
      providerBatchId: "msgbatch_01",
      outputFileId: "https://api.anthropic.com/v1/messages/batches/msgbatch_01/results",
      total: 6,
      completed: 2,
      failed: 4,
    });
    expect(f.providerCreatedAt?.toISOString()).toBe("2026-11-22T08:00:00.000Z");
    expect(f.expiresAt?.toISOString()).toBe("2026-11-23T08:00:00.000Z");
    expect(f.cancellingAt?.toISOString()).toBe("2026-11-22T08:30:00.000Z");
    expect(f.cancelledAt?.toISOString()).toBe("2026-11-22T08:31:00.500Z");
    expect(f.completedAt).toBeUndefined();
  });
});

describe("parseAnthropicResultLine", () => {
  it("reads a succeeded message: text blocks joined, thinking apart, stop reason, usage, model, message id", () => {
    const line = JSON.stringify({
      custom_id: "q-1",
      result: {
        type: "succeeded",
        message: {
          id: "msg_1",
          type: "message",
          role: "assistant",
          model: "claude-sonnet-4-5",
          content: [
            { type: "thinking", thinking: "Let me see.", signature: "s" },
            { type: "text", text: "Hello, " },
            { type: "text", text: "world." },
          ],
          stop_reason: "end_turn",
          stop_sequence: null,
          usage: { input_tokens: 12, output_tokens: 5, cache_read_input_tokens: 0 },
        },
      },
    });
    expect(parseAnthropicResultLine(line)).toMatchObject({
      customId: "q-1",
      succeeded: true,
      statusCode: 200,
      providerRequestId: "msg_1",
      model: "claude-sonnet-4-5",
      content: "Hello, world.",
      reasoningContent: "Let me see.",
      finishReason: "end_turn",
      promptTokens: 12,
      completionTokens: 5,
      totalTokens: 17,
      usage: '{"input_tokens":12,"output_tokens":5,"cache_read_input_tokens":0}',
      errorCode: null,
    });
  });

  it("reads errored, canceled and expired results as failed rows with their code", () => {
    const errored = parseAnthropicResultLine(
      JSON.stringify({ custom_id: "q-2", result: { type: "errored", error: { type: "error", error: { type: "invalid_request_error", message: "Bad prompt" }, request_id: "req_9" } } }),
    );
    expect(errored).toMatchObject({ succeeded: false, errorCode: "invalid_request_error", errorMessage: "Bad prompt", providerRequestId: "req_9", content: null });
    expect(parseAnthropicResultLine('{"custom_id":"q-3","result":{"type":"canceled"}}')).toMatchObject({
      succeeded: false,
      errorCode: "canceled",
      errorMessage: "The batch was canceled before this request ran.",
    });
    expect(parseAnthropicResultLine('{"custom_id":"q-4","result":{"type":"expired"}}')).toMatchObject({ succeeded: false, errorCode: "expired" });
    expect(parseAnthropicResultLine("not json")).toBeNull();
    expect(parseAnthropicResultLine('{"result":{"type":"expired"}}')).toBeNull();
  });
});
