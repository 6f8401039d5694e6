// The upload as a browser sends it, for the bench's steps: a multipart body streamed from a file
// (endpoint field, then the file), pulled only as fast as the handler reads it.
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";

export async function uploadRequest(file: string): Promise<Request> {
  const boundary = `----bench${crypto.randomBytes(8).toString("hex")}`;
  const head = Buffer.from(
    `--${boundary}\r\nContent-Disposition: form-data; name="endpoint"\r\n\r\n/v1/chat/completions\r\n` +
      `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${path.basename(file)}"\r\nContent-Type: application/jsonl\r\n\r\n`,
  );
  const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
  // A pull stream, so the file is read only as fast as the handler takes it (Readable.toWeb on
  // Node 20 reads ahead without bound).
  const fd = await fs.promises.open(file);
  let state: "head" | "file" | "tail" | "done" = "head";
  const body = new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (state === "head") {
        state = "file";
        return controller.enqueue(head);
      }
      if (state === "file") {
        const buf = Buffer.allocUnsafe(64 * 1024);
        const { bytesRead } = await fd.read(buf, 0, buf.length, null);
        if (bytesRead > 0) return controller.enqueue(buf.subarray(0, bytesRead));
        state = "tail";
        await fd.close();
      }
      if (state === "tail") {
        state = "done";
        return controller.enqueue(tail);
      }
      controller.close();
    },
  }, { highWaterMark: 0 });
  return new Request("http://bench/api/uploads", {
    method: "POST",
    headers: { "content-type": `multipart/form-data; boundary=${boundary}`, "content-length": String(head.length + fs.statSync(file).size + tail.length) },
    body: body as unknown as BodyInit,
    duplex: "half",
  } as RequestInit);
}

export interface UploadEventLine {
  type: string;
  phase?: string;
  file?: { status: string; requestCount: number; id: string };
  message?: string;
}

/** Reads the upload's NDJSON progress to its end, calling `onEvent` for each line as it comes. */
export async function readEvents(res: Response, onEvent: (e: UploadEventLine) => void = () => {}): Promise<UploadEventLine[]> {
  const events: UploadEventLine[] = [];
  let buffered = "";
  const decoder = new TextDecoder();
  for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
    buffered += decoder.decode(chunk, { stream: true });
    const lines = buffered.split("\n");
    buffered = lines.pop()!;
    for (const l of lines.filter(Boolean)) {
      const e = JSON.parse(l) as UploadEventLine;
      events.push(e);
      onEvent(e);
    }
  }
  return events;
}
