import { describe, expect, it } from "vitest";
import { redact, redactDeep, REDACTED } from "./redact";

const KEY = "sk-live-4f9QxZr8TbW2mN7pLc3VhY6dKs1";

describe("redact", () => {
  it("removes a known key wherever it appears, whole or in part", () => {
    expect(redact(`Incorrect API key provided: ${KEY}.`, [KEY])).toBe(`Incorrect API key provided: ${REDACTED}.`);
    // OpenAI-style masking keeps a prefix and the last characters: the prefix run is part of the key.
    const cut = KEY.slice(0, 14);
    expect(redact(`key ${cut}… was refused`, [KEY])).not.toContain(cut);
    expect(redact(`the key ${KEY.slice(3)} is not valid`, [KEY])).not.toContain(KEY.slice(3, 20));
  });

  it("removes credential-shaped tokens of unknown keys and keeps the words around them", () => {
    expect(redact("Authorization: Bearer abcdef123456789")).toBe(`Authorization: Bearer ${REDACTED}`);
    expect(redact("bad key sk-proj-AAAAbbbbCCCCdddd in header")).toBe(`bad key ${REDACTED} in header`);
    expect(redact("gsk_abcdefghijklmnop refused")).toBe(`${REDACTED} refused`);
    expect(redact('{"api_key": "abcd1234efgh"}')).toBe(`{"api_key": "${REDACTED}"}`);
    expect(redact("x-api-key: zzzzzzzzzzzz; retry")).toBe(`x-api-key: ${REDACTED}; retry`);
    expect(redact("https://host/v1?key=abcdefgh123&x=1")).toBe(`https://host/v1?key=${REDACTED}&x=1`);
  });

  it("leaves ordinary provider messages alone", () => {
    const m = "The model `gpt-4o-mini` does not exist or you do not have access to it. Request id: req_abc123";
    expect(redact(m, [KEY])).toBe(m);
    expect(redact("Rate limit reached for requests. Please try again in 20s.", [KEY])).toBe("Rate limit reached for requests. Please try again in 20s.");
  });

  it("walks JSON values", () => {
    const v = redactDeep({ error: { message: `bad ${KEY}`, list: [KEY, 3] }, at: new Date(0) }, [KEY]);
    expect(JSON.stringify(v)).not.toContain(KEY.slice(8));
    expect(v.at).toBeInstanceOf(Date);
    expect(v.error.list[1]).toBe(3);
  });
});
