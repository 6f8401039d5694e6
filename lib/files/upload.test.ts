import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DbHandle } from "@/lib/db/client";
import { createTestDb } from "@/lib/test/db";
import { formatBytes } from "./format";
import { serve } from "@/lib/test/http";
import { handleUpload, type UploadEvent } from "./upload";
import { COUNT_VERSION, countFileTokens, fileTokens, type FileTokens } from "@/lib/tokens/file";
import { reserveUpload, storedBytes, UploadLimitError } from "./quota";
import type { ValidationLimits } from "./validate-jsonl";

let h: DbHandle;
let teamId: string;
let userId: string;
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "bb-upload-"));
const uploadsDir = path.join(dataDir, "uploads");

beforeAll(async () => {
  h = await createTestDb();
  const user = await h.prisma.user.create({ data: { email: `up-${Date.now()}@example.com`, name: "Up", passwordHash: "x" } });
  const team = await h.prisma.team.create({ data: { name: "Upload team" } });
  teamId = team.id;
  userId = user.id;
});
afterAll(async () => {
  await h.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

const BOUNDARY = "----batchboardTestBoundary7MA4YWxkTrZu0gW";
const CHAT = "/v1/chat/completions";

function head(endpoint: string | null, filename = "batch.jsonl") {
  let s = "";
  if (endpoint !== null) s += `--${BOUNDARY}\r\nContent-Disposition: form-data; name="endpoint"\r\n\r\n${endpoint}\r\n`;
  s += `--${BOUNDARY}\r\nContent-Disposition: form-data; name="file"; filename="${filename}"\r\nContent-Type: application/octet-stream\r\n\r\n`;
  return Buffer.from(s);
}
const tail = Buffer.from(`\r\n--${BOUNDARY}--\r\n`);

function lines(count: number, make = (i: number) => ({ custom_id: `r${i}`, method: "POST", url: CHAT, body: { model: "m", messages: [{ role: "user", content: `q${i}` }] } })) {
  return Array.from({ length: count }, (_, i) => JSON.stringify(make(i))).join("\n") + "\n";
}

/** A body the test feeds piece by piece, as a slow client would; `cancelled` says if the reader gave up. */
function controlledBody() {
  let ctrl!: ReadableStreamDefaultController<Uint8Array>;
  const state = { cancelled: false, pulls: 0 };
  const stream = new ReadableStream<Uint8Array>({
    start(c) {
      ctrl = c;
    },
    pull() {
      state.pulls++;
    },
    cancel() {
      state.cancelled = true;
    },
  });
  return { stream, push: (b: Buffer) => ctrl.enqueue(new Uint8Array(b)), end: () => ctrl.close(), error: (e: Error) => ctrl.error(e), state };
}

function request(body: ReadableStream<Uint8Array> | Buffer, init: { signal?: AbortSignal; headers?: Record<string, string> } = {}) {
  return new Request("http://local/api/uploads", {
    method: "POST",
    headers: { "content-type": `multipart/form-data; boundary=${BOUNDARY}`, ...init.headers },
    body: body instanceof Buffer ? new Uint8Array(body) : body,
    signal: init.signal,
    duplex: "half",
  } as RequestInit);
}

async function events(res: Response): Promise<UploadEvent[]> {
  const text = await res.text();
  return text
    .split("\n")
    .filter(Boolean)
    .map((l) => JSON.parse(l) as UploadEvent);
}

const tempFiles = () => (fs.existsSync(uploadsDir) ? fs.readdirSync(uploadsDir) : []);
const ctx = () => ({ teamId, userId });

async function until(cond: () => boolean | Promise<boolean>, ms = 10_000) {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (await cond()) return;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error("condition not met in time");
}

describe("handleUpload", () => {
  it("receives a streamed multipart upload, checks it, stores it and streams progress", async () => {
    const content = lines(1500);
    const body = controlledBody();
    const resP = handleUpload(request(body.stream), ctx(), { dataDir });
    // Sent in small pieces, the way a browser's upload arrives.
    body.push(head(CHAT, "my batch.jsonl"));
    const buf = Buffer.from(content);
    for (let i = 0; i < buf.length; i += 7000) body.push(buf.subarray(i, i + 7000));
    body.push(tail);
    body.end();
    const res = await resP;
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toContain("application/x-ndjson");
    const ev = await events(res);
    expect(ev[0]).toMatchObject({ type: "received", bytes: buf.length });
    expect(ev.some((e) => e.type === "progress" && e.phase === "checking" && e.lines === 1000)).toBe(true);
    expect(ev.some((e) => e.type === "progress" && e.phase === "storing" && e.stored === 1500 && e.total === 1500)).toBe(true);
    const done = ev.at(-1);
    expect(done).toMatchObject({ type: "done", file: { status: "valid", requestCount: 1500, problemCount: 0, name: "my batch.jsonl", endpoint: CHAT } });
    if (done?.type !== "done") throw new Error("no done event");
    const row = await h.prisma.inputFile.findUniqueOrThrow({ where: { id: done.file.id } });
    expect(row).toMatchObject({ teamId, createdById: userId, status: "valid", requestCount: 1500 });
    expect(Number(row.bytes)).toBe(buf.length);
    expect(row.sha256).toBe((ev[0] as { sha256: string }).sha256);
    expect(await h.prisma.request.count({ where: { fileId: row.id } })).toBe(1500);
    expect(tempFiles()).toEqual([]);
  });

  it("counts a valid file's tokens right after storing it, into the cache the launch form's estimate reads", async () => {
    const res = await handleUpload(request(Buffer.concat([head(CHAT), Buffer.from(lines(40)), tail])), ctx(), { dataDir });
    const done = (await events(res)).at(-1);
    if (done?.type !== "done") throw new Error("no done event");
    const cached = path.join(dataDir, "token-counts", `${done.file.id}.${COUNT_VERSION}.json`);
    // Nobody asked for an estimate: the count was started by the upload.
    await until(() => fs.existsSync(cached));
    const counted = await countFileTokens(h.prisma, done.file.id, CHAT);
    const kept = JSON.parse(fs.readFileSync(cached, "utf8")) as FileTokens;
    expect({ ...kept, seconds: 0, countedAt: "" }).toEqual({ ...counted, seconds: 0, countedAt: "" });
    expect(kept.requests).toBe(40);
    // The estimate reads it as is.
    expect(await fileTokens(h.prisma, teamId, done.file.id, { cacheDir: path.join(dataDir, "token-counts") })).toEqual(kept);
  });

  it("answers an invalid file with its problems, stores no request and keeps no temp file", async () => {
    const content = lines(3, (i) => ({ custom_id: "same", method: "POST", url: i === 2 ? "/v1/embeddings" : CHAT, body: { model: "m", messages: [{ role: "user", content: "x" }] } }));
    const res = await handleUpload(request(Buffer.concat([head(CHAT), Buffer.from(content), tail])), ctx(), { dataDir });
    const ev = await events(res);
    const done = ev.at(-1);
    if (done?.type !== "done") throw new Error("no done event");
    expect(done.file.status).toBe("invalid");
    expect(done.file.problems.map((p) => [p.line, p.field])).toEqual([
      [2, "custom_id"],
      [3, "custom_id"],
      [3, "url"],
    ]);
    expect(await h.prisma.request.count({ where: { fileId: done.file.id } })).toBe(0);
    expect(tempFiles()).toEqual([]);
  });

  it("makes a NUL in a prompt, a binary file and a NUL in the name problems, never a failure", async () => {
    const withNul = lines(9, (i) => ({ custom_id: `r${i}`, method: "POST", url: CHAT, body: { model: "m", messages: [{ role: "user", content: i === 6 ? "a\u0000b" : "q" }] } }));
    const png = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]), Buffer.from("IHDR"), Buffer.alloc(64)]);
    const cases: [Buffer, string, { line: number; field?: string; message: string }][] = [
      [Buffer.concat([head(CHAT, "nul.jsonl"), Buffer.from(withNul), tail]), "nul.jsonl", { line: 7, field: "body.messages.0.content", message: "This line contains a NUL character (\\u0000), which cannot be stored. Remove it." }],
      [Buffer.concat([head(CHAT, "image.jsonl"), png, tail]), "image.jsonl", { line: 1, message: "This is a PNG image, not a JSONL file." }],
      // A raw NUL in a part header is malformed; encoded as RFC 5987 allows, it reaches the name.
      [Buffer.concat([head(CHAT, `x"; filename*=UTF-8''a%00b.jsonl; x="`), Buffer.from(withNul), tail]), "a\u2400b.jsonl", { line: 7, field: "body.messages.0.content", message: "This line contains a NUL character (\\u0000), which cannot be stored. Remove it." }],
    ];
    for (const [body, name, problem] of cases) {
      const res = await handleUpload(request(body), ctx(), { dataDir });
      expect(res.status).toBe(200);
      const done = (await events(res)).at(-1);
      expect(done).toMatchObject({ type: "done", file: { status: "invalid", name, problemCount: 1, problems: [problem] } });
      if (done?.type !== "done") throw new Error("no done event");
      const row = await h.prisma.inputFile.findUniqueOrThrow({ where: { id: done.file.id } });
      expect(row).toMatchObject({ status: "invalid", name, problems: [problem] });
      expect(await h.prisma.request.count({ where: { fileId: row.id } })).toBe(0);
    }
    expect(tempFiles()).toEqual([]);
  });

  it("answers 413 as soon as the file passes the size limit, without reading the rest", async () => {
    const limits: ValidationLimits = { maxRequests: 100, maxFileBytes: 4000, maxLineBytes: 4000, maxCustomIdLength: 64 };
    const body = controlledBody();
    const before = await h.prisma.inputFile.count();
    const resP = handleUpload(request(body.stream), ctx(), { dataDir, limits });
    body.push(head(CHAT));
    body.push(Buffer.alloc(3000, 0x61));
    body.push(Buffer.alloc(3000, 0x61));
    // The body never ends: a 413 must not wait for it.
    const res = await resP;
    expect(res.status).toBe(413);
    expect(await res.json()).toEqual({ error: "The file is over the 3.91 KB limit for one batch file. Split it into smaller files." });
    expect(body.state.cancelled).toBe(true);
    expect(tempFiles()).toEqual([]);
    expect(await h.prisma.inputFile.count()).toBe(before);
  });

  it("accepts a file of exactly the size limit", async () => {
    const content = Buffer.from(lines(5));
    const limits: ValidationLimits = { maxRequests: 100, maxFileBytes: content.length, maxLineBytes: 4000, maxCustomIdLength: 64 };
    const res = await handleUpload(request(Buffer.concat([head(CHAT), content, tail])), ctx(), { dataDir, limits });
    expect(res.status).toBe(200);
    expect((await events(res)).at(-1)).toMatchObject({ type: "done", file: { status: "valid", requestCount: 5 } });
    const over = await handleUpload(request(Buffer.concat([head(CHAT), content, Buffer.from(" "), tail])), ctx(), { dataDir, limits });
    expect(over.status).toBe(413);
  });

  it("answers 413 from the announced length before reading anything", async () => {
    const body = controlledBody();
    // Past Batchboard's job limit (any provider: a file over one batch's size is launched as a job of parts, up to 2 GB).
    const res = await handleUpload(request(body.stream, { headers: { "content-length": String(2100 * 1024 * 1024) } }), ctx(), { dataDir });
    expect(res.status).toBe(413);
    expect((await res.json()).error).toBe("The file is over the 2 GB limit for a file launched as a job of parts. Split it into smaller files.");
  });

  it("leaves nothing behind when the sender aborts mid-upload", async () => {
    const before = await h.prisma.inputFile.count();
    const ac = new AbortController();
    const body = controlledBody();
    const resP = handleUpload(request(body.stream, { signal: ac.signal }), ctx(), { dataDir });
    body.push(head(CHAT));
    body.push(Buffer.from(lines(200)));
    await until(async () => tempFiles().length === 1);
    ac.abort();
    body.error(new Error("socket hang up"));
    const res = await resP;
    expect(res.status).toBe(499);
    expect(tempFiles()).toEqual([]);
    expect(await h.prisma.inputFile.count()).toBe(before);
  });

  it("leaves nothing behind when the connection drops mid-upload (no abort signal)", async () => {
    const body = controlledBody();
    const resP = handleUpload(request(body.stream), ctx(), { dataDir });
    body.push(head(CHAT));
    body.push(Buffer.from(lines(50)));
    await until(async () => tempFiles().length === 1);
    body.error(new Error("ECONNRESET"));
    expect((await resP).status).toBe(499);
    expect(tempFiles()).toEqual([]);
  });

  it("undoes the upload when the reader of the progress goes away while requests are stored", async () => {
    const res = await handleUpload(request(Buffer.concat([head(CHAT, "cancelled.jsonl"), Buffer.from(lines(8000)), tail])), ctx(), { dataDir });
    expect(res.status).toBe(200);
    const reader = res.body!.getReader();
    const decoder = new TextDecoder();
    let text = "";
    // Requests are stored in the pass that checks them (lib/files/store.ts).
    while (!text.includes('"phase":"checking"')) {
      const { value, done } = await reader.read();
      if (done) throw new Error("ended before checking");
      text += decoder.decode(value);
    }
    expect(await h.prisma.inputFile.count({ where: { name: "cancelled.jsonl" } })).toBe(1);
    await reader.cancel();
    await until(async () => (await h.prisma.inputFile.count({ where: { name: "cancelled.jsonl" } })) === 0 && tempFiles().length === 0);
    expect(await h.prisma.request.count({ where: { file: { name: "cancelled.jsonl" } } })).toBe(0);
  });

  it("refuses forms it cannot use with a 4xx naming the problem", async () => {
    const content = Buffer.from(lines(2));
    const noEndpoint = await handleUpload(request(Buffer.concat([head(null), content, tail])), ctx(), { dataDir });
    expect(noEndpoint.status).toBe(400);
    expect((await noEndpoint.json()).error).toMatch(/endpoint/);

    const unknown = await handleUpload(request(Buffer.concat([head("/v1/nothing"), content, tail])), ctx(), { dataDir });
    expect(unknown.status).toBe(400);
    expect((await unknown.json()).error).toMatch(/Unknown endpoint "\/v1\/nothing"/);

    const noFile = Buffer.from(`--${BOUNDARY}\r\nContent-Disposition: form-data; name="endpoint"\r\n\r\n${CHAT}\r\n--${BOUNDARY}--\r\n`);
    const r3 = await handleUpload(request(noFile), ctx(), { dataDir });
    expect(r3.status).toBe(400);
    expect((await r3.json()).error).toMatch(/no file/);

    const json = await handleUpload(request(Buffer.from("{}"), { headers: { "content-type": "application/json" } }), ctx(), { dataDir });
    expect(json.status).toBe(415);

    const cut = await handleUpload(request(Buffer.concat([head(CHAT), content])), ctx(), { dataDir });
    expect(cut.status).toBe(400);
    expect((await cut.json()).error).toMatch(/not a complete multipart form/);
    expect(tempFiles()).toEqual([]);
  });
});

// A client that goes away in the middle of an upload, over real HTTP and a raw socket: half a
// multipart body, then the socket is destroyed. Nothing may throw outside the handler (busboy's
// "Unexpected end of form" surfaced as an uncaughtException, 10 times out of 10, when the sender was
// gone before the body was read), and nothing of the upload stays: no temp file, no InputFile row.
describe("an upload whose sender goes away", () => {
  const whole = Buffer.concat([head(CHAT, "gone.jsonl"), Buffer.from(lines(20_000)), tail]);

  /** Sends the request line, headers and the first `bytes` of the body, waits for `before`, then destroys the socket. */
  async function sendHalf(url: string, bytes: number, before: () => Promise<void>) {
    const { hostname, port } = new URL(url);
    const socket = net.connect(Number(port), hostname);
    socket.on("error", () => {});
    await new Promise<void>((r) => socket.once("connect", () => r()));
    socket.write(`POST /api/uploads HTTP/1.1\r\nHost: ${hostname}:${port}\r\nContent-Type: multipart/form-data; boundary=${BOUNDARY}\r\nContent-Length: ${whole.length}\r\n\r\n`);
    socket.write(whole.subarray(0, bytes));
    await before();
    socket.destroy();
  }

  /** Runs `tries` aborted uploads with a watch on the process: what escaped, and the statuses answered. */
  async function abortedUploads(tries: number, opts: { sessionCheck: boolean; bytes: number; waitForTemp: boolean }) {
    const escaped: unknown[] = [];
    const watch = (err: unknown) => escaped.push(err);
    process.on("uncaughtException", watch);
    process.on("unhandledRejection", watch);
    const statuses: number[] = [];
    const server = await serve(async (req) => {
      // The route checks the session first: the sender can be gone before the body is looked at.
      if (opts.sessionCheck) await until(() => req.signal.aborted, 5000);
      const res = await handleUpload(req, ctx(), { dataDir });
      statuses.push(res.status);
      return res;
    });
    try {
      for (let i = 0; i < tries; i++) {
        await sendHalf(server.url, opts.bytes, () => (opts.waitForTemp ? until(() => tempFiles().length > 0) : Promise.resolve()));
        await until(() => statuses.length === i + 1);
        // Let what busboy emits on the next ticks happen while the watch is on.
        await new Promise((r) => setTimeout(r, 50));
      }
    } finally {
      await server.close();
      process.off("uncaughtException", watch);
      process.off("unhandledRejection", watch);
    }
    return { escaped, statuses };
  }

  it("throws nothing when the sender is gone before the body is read (10 tries)", async () => {
    const before = await h.prisma.inputFile.count();
    const { escaped, statuses } = await abortedUploads(10, { sessionCheck: true, bytes: 2000, waitForTemp: false });
    expect(escaped.map(String)).toEqual([]);
    expect(statuses).toEqual(Array(10).fill(499));
    expect(tempFiles()).toEqual([]);
    expect(await h.prisma.inputFile.count()).toBe(before);
  });

  it("throws nothing and keeps nothing when the socket drops in the middle of the file (10 tries)", async () => {
    const before = await h.prisma.inputFile.count();
    const { escaped, statuses } = await abortedUploads(10, { sessionCheck: false, bytes: Math.floor(whole.length / 2), waitForTemp: true });
    expect(escaped.map(String)).toEqual([]);
    expect(statuses).toEqual(Array(10).fill(499));
    await until(() => tempFiles().length === 0);
    expect(await h.prisma.inputFile.count()).toBe(before);
  });
});

// A team's storage quota and a user's uploads at once (lib/files/quota.ts).
describe("limits of uploads", () => {
  const quotaRe = (quota: string, used: string) =>
    `This upload would take the team past its storage quota of ${quota}: its files hold ${used} already. Make room by deleting files no batch uses (the Delete button on a file's page), or ask whoever runs Batchboard to raise TEAM_STORAGE_QUOTA_MB.`;

  it("refuses an upload whose announced size passes the quota before reading its body, with 413 naming quota and use", async () => {
    const used = await storedBytes(h.prisma, teamId);
    const quotaBytes = used + 10 * 1024;
    const body = controlledBody();
    const before = await h.prisma.inputFile.count();
    const res = await handleUpload(request(body.stream, { headers: { "content-length": String(200 * 1024) } }), ctx(), { dataDir, quotaBytes });
    expect(res.status).toBe(413);
    expect((await res.json()).error).toBe(quotaRe(formatBytes(quotaBytes), formatBytes(used)));
    expect(body.state.pulls).toBeLessThanOrEqual(1);
    expect(await h.prisma.inputFile.count()).toBe(before);
  });

  it("reads the quota from TEAM_STORAGE_QUOTA_MB when the caller sets none", async () => {
    const saved = process.env.TEAM_STORAGE_QUOTA_MB;
    process.env.TEAM_STORAGE_QUOTA_MB = "1";
    try {
      const res = await handleUpload(request(controlledBody().stream, { headers: { "content-length": String(2 * 1024 * 1024) } }), ctx(), { dataDir });
      expect(res.status).toBe(413);
      expect((await res.json()).error).toMatch(/^This upload would take the team past its storage quota of 1 MB: its files hold /);
    } finally {
      if (saved === undefined) delete process.env.TEAM_STORAGE_QUOTA_MB;
      else process.env.TEAM_STORAGE_QUOTA_MB = saved;
    }
  });

  it("stops an upload of unknown size as soon as it crosses the quota, keeping nothing", async () => {
    const used = await storedBytes(h.prisma, teamId);
    const quotaBytes = used + 20_000;
    const body = controlledBody();
    const before = await h.prisma.inputFile.count();
    const resP = handleUpload(request(body.stream), ctx(), { dataDir, quotaBytes });
    body.push(head(CHAT, "over.jsonl"));
    const big = Buffer.from(lines(400));
    for (let i = 0; i < big.length && !body.state.cancelled; i += 8000) {
      body.push(big.subarray(i, i + 8000));
      await new Promise((r) => setTimeout(r, 5));
    }
    // The body never ends: the 413 must not wait for it.
    const res = await resP;
    expect(res.status).toBe(413);
    expect((await res.json()).error).toBe(quotaRe(formatBytes(quotaBytes), formatBytes(used)));
    expect(body.state.cancelled).toBe(true);
    expect(tempFiles()).toEqual([]);
    expect(await h.prisma.inputFile.count()).toBe(before);
  });

  it("stores a file that fits, and counts it against the next", async () => {
    const used = await storedBytes(h.prisma, teamId);
    const content = Buffer.from(lines(20));
    const quotaBytes = used + content.length + 100;
    const ok = await handleUpload(request(Buffer.concat([head(CHAT, "fits.jsonl"), content, tail])), ctx(), { dataDir, quotaBytes });
    expect((await events(ok)).at(-1)).toMatchObject({ type: "done", file: { status: "valid", name: "fits.jsonl" } });
    expect(await storedBytes(h.prisma, teamId)).toBe(used + content.length);
    const next = await handleUpload(request(Buffer.concat([head(CHAT, "next.jsonl"), content, tail])), ctx(), { dataDir, quotaBytes });
    expect(next.status).toBe(413);
  });

  it("answers a user's upload past MAX_UPLOADS_PER_USER with 429, and takes one again once one ends", async () => {
    const bodies = [controlledBody(), controlledBody()];
    const running = bodies.map((b, i) => {
      const res = handleUpload(request(b.stream), ctx(), { dataDir, maxUploadsPerUser: 2 });
      b.push(head(CHAT, `slow-${i}.jsonl`));
      b.push(Buffer.from(lines(3)));
      return res;
    });
    await until(async () => (await h.prisma.inputFile.count({ where: { name: { startsWith: "slow-" }, status: "uploading" } })) === 2);
    const third = await handleUpload(request(Buffer.concat([head(CHAT, "third.jsonl"), Buffer.from(lines(3)), tail])), ctx(), { dataDir, maxUploadsPerUser: 2 });
    expect(third.status).toBe(429);
    expect((await third.json()).error).toBe(
      "You already have 2 uploads in progress, the most one person may run at once. Wait for one to finish (the Files page shows them), then upload this file.",
    );
    // Another member of the team is not held back by this one's uploads.
    const other = await h.prisma.user.create({ data: { email: `other-${Date.now()}@example.com`, name: "Other", passwordHash: "x" } });
    // Other bytes each time: the same bytes again would be answered with the stored file (duplicates.ts).
    const theirs = await handleUpload(request(Buffer.concat([head(CHAT, "theirs.jsonl"), Buffer.from(lines(4)), tail])), { teamId, userId: other.id }, { dataDir, maxUploadsPerUser: 2 });
    expect((await events(theirs)).at(-1)).toMatchObject({ type: "done", file: { status: "valid" } });
    bodies[0].push(tail);
    bodies[0].end();
    expect((await events(await running[0])).at(-1)).toMatchObject({ type: "done", file: { status: "valid", name: "slow-0.jsonl" } });
    const again = await handleUpload(request(Buffer.concat([head(CHAT, "again.jsonl"), Buffer.from(lines(5)), tail])), ctx(), { dataDir, maxUploadsPerUser: 2 });
    expect((await events(again)).at(-1)).toMatchObject({ type: "done", file: { status: "valid" } });
    bodies[1].push(tail);
    bodies[1].end();
    await events(await running[1]);
  });

  it("gives the last place to one of several uploads reserved at the same instant", async () => {
    const racer = await h.prisma.user.create({ data: { email: `race-${Date.now()}@example.com`, name: "Racer", passwordHash: "x" } });
    const row = (i: number) => ({ teamId, name: `race-${i}.jsonl`, format: "jsonl", bytes: 0, endpoint: CHAT, status: "uploading", createdById: racer.id });
    const outcomes = await Promise.allSettled(Array.from({ length: 6 }, (_, i) => reserveUpload(h.prisma, row(i), 3)));
    expect(outcomes.filter((o) => o.status === "fulfilled")).toHaveLength(3);
    const refused = outcomes.filter((o): o is PromiseRejectedResult => o.status === "rejected");
    expect(refused).toHaveLength(3);
    for (const r of refused) expect(r.reason).toBeInstanceOf(UploadLimitError);
    expect(await h.prisma.inputFile.count({ where: { createdById: racer.id, status: "uploading" } })).toBe(3);
  });
});
