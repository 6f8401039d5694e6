// One line of an OpenAI-shaped output or error file as a Result row, for every shape it comes in.
import { describe, expect, it } from "vitest";
import { parseResultLine } from "./results";

const line = (o: unknown) => JSON.stringify(o);

describe("parseResultLine", () => {
  it("reads a chat completion with reasoning and usage", () => {
    const r = parseResultLine(
      line({
        id: "batch_req_1",
        custom_id: "q-1",
        response: {
          status_code: 200,
          request_id: "req_1",
          body: {
            id: "chatcmpl-1",
            object: "chat.completion",
            created: 1_700_000_000,
            model: "kimi-k2",
            choices: [{ index: 0, message: { role: "assistant", content: "42", reasoning_content: "Think." }, finish_reason: "stop" }],
            usage: { prompt_tokens: 10, completion_tokens: 5, total_tokens: 15, completion_tokens_details: { reasoning_tokens: 3 } },
          },
        },
        error: null,
      }),
    );
    expect(r).toMatchObject({
      customId: "q-1",
      succeeded: true,
      statusCode: 200,
      providerRequestId: "req_1",
      model: "kimi-k2",
      created: 1_700_000_000,
      content: "42",
      reasoningContent: "Think.",
      finishReason: "stop",
      promptTokens: 10,
      completionTokens: 5,
      reasoningTokens: 3,
      totalTokens: 15,
      errorCode: null,
      errorMessage: null,
    });
    expect(r!.raw).toMatchObject({ custom_id: "q-1" });
  });

  it("reads errors from the line's error or from the response body", () => {
    const a = parseResultLine(line({ custom_id: "a", response: null, error: { code: "batch_expired", message: "This request could not be executed before the completion window expired." } }));
    expect(a).toMatchObject({ succeeded: false, statusCode: null, errorCode: "batch_expired", content: null });
    expect(a!.errorMessage).toMatch(/completion window expired/);

    const b = parseResultLine(
      line({ custom_id: "b", response: { status_code: 400, request_id: "r", body: { error: { message: "Bad model", type: "invalid_request_error", code: null } } }, error: null }),
    );
    expect(b).toMatchObject({ succeeded: false, statusCode: 400, errorCode: "invalid_request_error", errorMessage: "Bad model", providerRequestId: "r" });

    const c = parseResultLine(line({ custom_id: "c", response: { status_code: 500, body: {} } }));
    expect(c).toMatchObject({ succeeded: false, statusCode: 500, errorMessage: "The provider answered HTTP 500." });
  });

  it("reads the Responses API and text completions", () => {
    const r = parseResultLine(
      line({
        custom_id: "r",
        response: {
          status_code: 200,
          body: {
            object: "response",
            created_at: 1_700_000_001,
            status: "completed",
            model: "gpt-x",
            output: [
              { type: "reasoning", summary: [{ type: "summary_text", text: "Because." }] },
              { type: "message", content: [{ type: "output_text", text: "Hello " }, { type: "output_text", text: "there" }] },
            ],
            usage: { input_tokens: 3, output_tokens: 4, total_tokens: 7, output_tokens_details: { reasoning_tokens: 2 } },
          },
        },
      }),
    );
    expect(r).toMatchObject({ content: "Hello there", reasoningContent: "Because.", promptTokens: 3, completionTokens: 4, reasoningTokens: 2, created: 1_700_000_001 });
    const t = parseResultLine(line({ custom_id: "t", response: { status_code: 200, body: { choices: [{ text: "done", finish_reason: "length" }] } } }));
    expect(t).toMatchObject({ content: "done", finishReason: "length", succeeded: true });
  });

  it("skips what cannot be matched and cleans what PostgreSQL refuses", () => {
    expect(parseResultLine("")).toBeNull();
    expect(parseResultLine("not json")).toBeNull();
    expect(parseResultLine(line({ response: {} }))).toBeNull();
    expect(parseResultLine("[1,2]")).toBeNull();
    const r = parseResultLine(line({ custom_id: "n", response: { status_code: 200, body: { choices: [{ message: { content: "a\u0000b" } }] } } }));
    expect(r!.content).toBe("ab");
    expect(JSON.stringify(r!.raw)).not.toContain("\\u0000");
    // Counts that do not fit a 32-bit column are dropped, not stored wrong.
    const big = parseResultLine(line({ custom_id: "big", response: { status_code: 200, body: { usage: { prompt_tokens: 1e12, total_tokens: 1.5 } } } }));
    expect(big).toMatchObject({ promptTokens: null, totalTokens: null });
  });
});
