// POST /api/uploads over real HTTP, as a signed-in member: a page of another site posting with the
// member's cookies is refused before the body is read (it was accepted before the Origin check);
// the app's own pages, a proxy's forwarded host, and clients that send no Origin still upload.
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { DbHandle } from "@/lib/db/client";
import { createTestDb } from "@/lib/test/db";
import { serve } from "@/lib/test/http";
import { makeUser, useTempDataDir } from "@/lib/teams/fixtures";
import { visit } from "@/lib/test/session";

vi.mock("@/lib/auth/auth", async (real) => (await import("@/lib/test/session")).authModule(await real()));
vi.mock("next/headers", async () => (await import("@/lib/test/session")).nextHeadersModule);

const { POST } = await import("./route");

let h: DbHandle;
let server: { url: string; close(): Promise<void> };
let teamId: string;

beforeAll(async () => {
  useTempDataDir();
  h = await createTestDb();
  const u = await makeUser(h.prisma, "Uploader");
  teamId = u.team.id;
  visit(u.user.id, teamId);
  server = await serve(POST);
});
afterAll(async () => {
  await server?.close();
  await h?.close();
});

const line = (i: number) => JSON.stringify({ custom_id: `r${i}`, method: "POST", url: "/v1/chat/completions", body: { model: "m", messages: [{ role: "user", content: `q${i}` }] } });

function upload(headers: Record<string, string>) {
  const form = new FormData();
  form.append("endpoint", "/v1/chat/completions");
  form.append("file", new Blob([`${line(1)}\n${line(2)}\n`]), "two.jsonl");
  return fetch(`${server.url}/api/uploads`, { method: "POST", body: form, headers });
}

const files = () => h.prisma.inputFile.count({ where: { teamId } });

describe("POST /api/uploads and the Origin header", () => {
  it("refuses a foreign Origin with 403 and a message, and stores nothing", async () => {
    const before = await files();
    const res = await upload({ origin: "https://evil.example" });
    expect(res.status).toBe(403);
    expect((await res.json()).error).toMatch(/another site \(https:\/\/evil\.example\)/);
    expect(await files()).toBe(before);
  });

  it("refuses before reading the body: the answer comes while the body is still being sent", async () => {
    const body = new ReadableStream<Uint8Array>({
      start(c) {
        c.enqueue(new TextEncoder().encode("--x\r\nContent-Disposition: form-data; name=\"endpoint\"\r\n\r\n"));
        // ...and nothing more: the body never ends.
      },
    });
    const res = await fetch(`${server.url}/api/uploads`, {
      method: "POST",
      body,
      duplex: "half",
      headers: { origin: "https://evil.example", "content-type": "multipart/form-data; boundary=x" },
    } as RequestInit);
    expect(res.status).toBe(403);
    await body.cancel().catch(() => {});
  });

  it("refuses Origin: null (a sandboxed frame)", async () => {
    expect((await upload({ origin: "null" })).status).toBe(403);
  });

  it("accepts the app's own origin", async () => {
    const before = await files();
    const res = await upload({ origin: server.url });
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('"type":"done"');
    expect(await files()).toBe(before + 1);
  });

  it("accepts the origin a TLS proxy forwards as X-Forwarded-Host", async () => {
    const res = await upload({ origin: "https://bb.example.com", "x-forwarded-host": "bb.example.com" });
    expect(res.status).toBe(200);
    await res.text();
  });

  it("accepts a client that sends no Origin (a script with the user's own cookie)", async () => {
    const res = await upload({});
    expect(res.status).toBe(200);
    await res.text();
  });
});
