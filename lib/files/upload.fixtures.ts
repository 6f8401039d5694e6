// An upload as the browser's form sends it, for tests of handleUpload: a multipart body with the
// endpoint and any other fields first, then the file; and the file the NDJSON answer ends with.
import type { UploadEvent } from "./upload";
import type { ImportedFile } from "./types";

const BOUNDARY = "----batchboardFixtureBoundary";

export function uploadRequest(content: string | Buffer, o: { endpoint: string; name?: string; fields?: Record<string, string>; query?: string }): Request {
  const field = (name: string, value: string) => `--${BOUNDARY}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`;
  const body = Buffer.concat([
    Buffer.from(
      field("endpoint", o.endpoint) +
        Object.entries(o.fields ?? {})
          .map(([k, v]) => field(k, v))
          .join("") +
        `--${BOUNDARY}\r\nContent-Disposition: form-data; name="file"; filename="${o.name ?? "f.jsonl"}"\r\nContent-Type: application/octet-stream\r\n\r\n`,
    ),
    Buffer.from(content),
    Buffer.from(`\r\n--${BOUNDARY}--\r\n`),
  ]);
  return new Request(`http://local/api/uploads${o.query ?? ""}`, { method: "POST", headers: { "content-type": `multipart/form-data; boundary=${BOUNDARY}` }, body: new Uint8Array(body) });
}

/** The file of the answer's "done" event; throws with every event when there is none. */
export async function doneFile(res: Response): Promise<ImportedFile> {
  const events = (await res.text())
    .split("\n")
    .filter(Boolean)
    .map((l) => JSON.parse(l) as UploadEvent);
  const d = events.find((e) => e.type === "done");
  if (!d || d.type !== "done") throw new Error(`no done event: ${JSON.stringify(events)}`);
  return d.file;
}
