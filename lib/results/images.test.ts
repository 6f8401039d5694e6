// The pictures of a result line: OpenAI's ImagesResponse (b64_json or url) and the Responses API's image_generation_call.
import { describe, expect, it } from "vitest";
import { imagesOf } from "./images";

const line = (body: unknown) => JSON.stringify({ id: "batch_req_1", custom_id: "request-1", response: { status_code: 200, request_id: "req_1", body }, error: null });
const PNG = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAIAAACQd1PeAAAADElEQVR4nGP4z8AAAAMBAQDJ/pLvAAAAAElFTkSuQmCC";

describe("imagesOf", () => {
  it("reads b64_json images (with their output_format) and https URLs of an ImagesResponse", () => {
    expect(imagesOf(line({ created: 1713833628, data: [{ b64_json: PNG }], usage: { total_tokens: 100 } }))).toEqual([{ kind: "data", src: `data:image/png;base64,${PNG}` }]);
    expect(imagesOf(line({ created: 1, output_format: "webp", data: [{ b64_json: PNG }, { url: "https://oaidalleapiprodscus.blob.core.windows.net/x.png" }] }))).toEqual([
      { kind: "data", src: `data:image/webp;base64,${PNG}` },
      { kind: "link", href: "https://oaidalleapiprodscus.blob.core.windows.net/x.png" },
    ]);
  });

  it("reads the Responses API's image_generation_call result", () => {
    expect(imagesOf(line({ object: "response", output: [{ type: "image_generation_call", id: "ig_1", status: "completed", result: PNG }] }))).toEqual([{ kind: "data", src: `data:image/png;base64,${PNG}` }]);
  });

  it("finds nothing in a chat completion, an error line, a javascript: URL or text that is not base64", () => {
    expect(imagesOf(line({ object: "chat.completion", choices: [{ message: { content: "hi" } }] }))).toEqual([]);
    expect(imagesOf(JSON.stringify({ custom_id: "x", response: null, error: { code: "c", message: "m" } }))).toEqual([]);
    expect(imagesOf(line({ data: [{ url: "javascript:alert(1)" }, { b64_json: "\"><script>" }] }))).toEqual([]);
    expect(imagesOf("not json")).toEqual([]);
  });
});
