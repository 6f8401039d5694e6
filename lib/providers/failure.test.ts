// judgeFailure: how both adapters judge a failed call, which decides whether the engine tries again,
// how long it waits, and what becomes of a launch whose create failed (classify().sent).
import Anthropic from "@anthropic-ai/sdk";
import OpenAI from "openai";
import { describe, expect, it } from "vitest";
import { OutboundRefused } from "@/lib/net/outbound";
import { judgeFailure, retryAfterOf } from "./failure";

const openai = (err: unknown) => judgeFailure(err, { retryAfterOn: [429] });
const anthropic = (err: unknown) => judgeFailure(err, { notTaken: [529], retryAfterOn: [429, 529] });
const http = (status: number, headers: Record<string, string> = {}) =>
  OpenAI.APIError.generate(status, { error: { message: `said ${status}` } }, undefined, new Headers(headers));
const refusedSocket = () => new OpenAI.APIConnectionError({ cause: Object.assign(new Error("connect ECONNREFUSED"), { code: "ECONNREFUSED" }) });

describe("judgeFailure", () => {
  it("a 429: not taken, tried again after the Retry-After it asks", () => {
    expect(openai(http(429, { "retry-after": "2" }))).toMatchObject({ reason: "http", status: 429, said: "said 429", retryable: true, sent: "no", retryAfterMs: 2000 });
  });

  it("a 5xx: tried again, and the batch may exist; Anthropic's 529 (overloaded) was not taken", () => {
    expect(openai(http(500))).toMatchObject({ status: 500, retryable: true, sent: "maybe", retryAfterMs: undefined });
    expect(openai(http(529))).toMatchObject({ retryable: true, sent: "maybe" });
    expect(anthropic(http(529, { "retry-after": "3" }))).toMatchObject({ retryable: true, sent: "no", retryAfterMs: 3000 });
  });

  it("a refusal (4xx) is final and made nothing; a 408 is final but may have", () => {
    expect(openai(http(400))).toMatchObject({ status: 400, retryable: false, sent: "no", message: "HTTP 400: said 400" });
    expect(openai(http(408))).toMatchObject({ retryable: false, sent: "maybe" });
  });

  it("no connection: tried again; nothing sent when the socket was refused, maybe when it timed out", () => {
    expect(openai(refusedSocket())).toMatchObject({ reason: "unreachable", retryable: true, sent: "no", status: undefined });
    expect(openai(new OpenAI.APIConnectionTimeoutError())).toMatchObject({ reason: "timeout", retryable: true, sent: "maybe" });
    expect(anthropic(new Anthropic.APIConnectionTimeoutError())).toMatchObject({ reason: "timeout", sent: "maybe" });
  });

  it("an address the outbound guard refuses is not tried again: no retry reaches it", () => {
    const err = new OpenAI.APIConnectionError({ cause: new OutboundRefused("10.0.0.1") });
    expect(openai(err)).toMatchObject({ reason: "unreachable", retryable: false, sent: "no" });
  });

  it("anything else: not tried again, and the batch may exist", () => {
    expect(openai(new Error("disk full"))).toMatchObject({ reason: "other", retryable: false, sent: "maybe", message: "Error: disk full" });
  });
});

describe("retryAfterOf", () => {
  it("reads retry-after-ms, retry-after in seconds or as an HTTP date", () => {
    expect(retryAfterOf(new Headers({ "retry-after-ms": "1500" }))).toBe(1500);
    expect(retryAfterOf(new Headers({ "retry-after": "7" }))).toBe(7000);
    const at = retryAfterOf(new Headers({ "retry-after": new Date(Date.now() + 60_000).toUTCString() }))!;
    expect(at).toBeGreaterThan(55_000);
    expect(retryAfterOf(new Headers())).toBeUndefined();
  });
});
