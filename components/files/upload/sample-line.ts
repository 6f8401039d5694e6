// The example under "What a line looks like": one request line for the chosen endpoint, with a body
// of the shape that endpoint takes, on one line as the file must hold it.

export function sampleLine(endpoint: string): string {
  const body =
    endpoint === "/v1/embeddings"
      ? { model: "text-embedding-3-small", input: "The text" }
      : endpoint === "/v1/moderations"
        ? { model: "omni-moderation-latest", input: "The text" }
        : endpoint === "/v1/responses"
          ? { model: "gpt-4o-mini", input: "Hello!" }
          : endpoint === "/v1/completions"
            ? { model: "gpt-3.5-turbo-instruct", prompt: "Hello!" }
            : endpoint === "/v1/images/generations" || endpoint === "/v1/images/edits"
              ? { model: "gpt-image-1", prompt: "A cute baby sea otter", ...(endpoint === "/v1/images/edits" ? { image: "https://example.com/otter.png" } : {}) }
              : endpoint === "/v1/videos"
                ? { model: "sora-2", prompt: "A calico cat playing a piano on stage" }
                : { model: "gpt-4o-mini", messages: [{ role: "user", content: "Hello!" }] };
  return JSON.stringify({ custom_id: "request-1", method: "POST", url: endpoint, body }, null, 1).replace(/\n\s*/g, " ");
}
