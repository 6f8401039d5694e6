// One line of Anthropic's results as a Result row: succeeded, errored, canceled, expired.
import { describe, expect, it } from "vitest";
import { parseAnthropicResultLine } from "./results";

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
