// The sample line is one line of valid JSON in the batch format, with the body the endpoint takes.
import { describe, expect, it } from "vitest";
import { sampleLine } from "./sample-line";

describe("sampleLine", () => {
  it("is one line naming the endpoint, with a body of that endpoint's shape", () => {
    for (const [endpoint, key] of [
      ["/v1/chat/completions", "messages"],
      ["/v1/embeddings", "input"],
      ["/v1/moderations", "input"],
      ["/v1/responses", "input"],
      ["/v1/completions", "prompt"],
      ["/v1/images/generations", "prompt"],
      ["/v1/images/edits", "image"],
      ["/v1/videos", "prompt"],
    ]) {
      const line = sampleLine(endpoint);
      expect(line).not.toContain("\n");
      const parsed = JSON.parse(line);
      expect(parsed).toMatchObject({ custom_id: "request-1", method: "POST", url: endpoint });
      expect(parsed.body).toHaveProperty(key);
    }
  });
});
