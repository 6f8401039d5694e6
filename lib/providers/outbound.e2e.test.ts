// Every path that calls a provider goes through the outbound guard: with 127.0.0.1 no longer
// allowed, connections that point at the (real, running) sandbox on 127.0.0.1 are refused on the
// connection test, launch, sync, cancel and import, with both SDKs, and the sandbox sees no call.
import dns from "node:dns";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { encryptSecret } from "@/lib/crypto";
import { resetEnvForTests } from "@/lib/env";
import { sandboxKeyForTeam } from "@/lib/providers/sandbox/keys";
import { cancelBatch } from "@/lib/batches/engine/cancel";
import { listProviderBatches } from "@/lib/batches/history/import";
import { launchBatch } from "@/lib/batches/engine/launch";
import { launchBatchInput } from "@/lib/batches/schemas";
import { syncBatch } from "@/lib/batches/engine/sync";
import { launchInput, makeFile, makeTeam, startEngine, type Engine } from "@/lib/batches/engine/fixtures";
import { probeProvider } from "./connections";

let e: Engine;
const prev = process.env.ALLOWED_PRIVATE_HOSTS;
beforeAll(async () => {
  e = await startEngine();
});
afterAll(async () => {
  process.env.ALLOWED_PRIVATE_HOSTS = prev;
  resetEnvForTests();
  await e.close();
});

describe("the outbound guard on every provider path", () => {
  // An IP literal is refused before any socket; a host name that resolves to one, when the socket is made.
  it.each([
    ["an IP literal", (url: string) => url, /127\.0\.0\.1 is a private, loopback or otherwise internal address/],
    ["a host name that resolves to loopback", (url: string) => url.replace("127.0.0.1", "sandbox.example"), /Could not reach sandbox\.example|the provider could not be reached/],
  ])("refuses a connection to the server's own network by %s on test, launch, sync, cancel and import, for both SDKs", async (_, at, refused) => {
    process.env.ALLOWED_PRIVATE_HOSTS = "127.0.0.1";
    const real = dns.lookup;
    vi.spyOn(dns, "lookup").mockImplementation(((host: string, opts: dns.LookupOptions, cb: (...a: unknown[]) => void) =>
      host === "sandbox.example" ? cb(null, [{ address: "127.0.0.1", family: 4 }]) : real(host, opts as dns.LookupAllOptions, cb as never)) as typeof dns.lookup);
    const t = await makeTeam(e);
    const key = sandboxKeyForTeam(t.team.id);
    const mk = (kind: string, name: string, baseUrl: string) =>
      e.h.prisma.providerConnection.create({ data: { teamId: t.team.id, kind, name, baseUrl, encryptedKey: encryptSecret(key), keyLast4: "test", createdById: t.user.id } });
    const openai = await mk("openai-compatible", "Local OpenAI", at(`${e.url}/api/sandbox/v1`));
    const anthropic = await mk("anthropic", "Local Anthropic", at(`${e.url}/api/sandbox/anthropic/sandbox_ms_per_request=20`));
    const file = await makeFile(e, t.team.id, 2);
    const input = (connectionId: string, extra: Record<string, unknown> = {}) => launchBatchInput.parse(launchInput(connectionId, file.id, extra));

    // While 127.0.0.1 is allowed, both run (so what follows is the guard, not a broken set-up).
    const running = [(await launchBatch(input(openai.id), t.ctx)).batchId, (await launchBatch(input(anthropic.id, { metadata: undefined }), t.ctx)).batchId];

    process.env.ALLOWED_PRIVATE_HOSTS = "";
    e.calls.length = 0;
    const ctx = { ...t.ctx, role: "OWNER" as const };
    for (const [kind, url] of [["openai-compatible", `${e.url}/api/sandbox/v1`], ["anthropic", `${e.url}/api/sandbox/anthropic`]]) {
      const r = await probeProvider(kind, at(url), key);
      expect(r, kind).toMatchObject({ ok: false, outcome: "unreachable" });
      expect(r.message).toMatch(refused);
    }
    for (const c of [openai, anthropic]) {
      await expect(launchBatch(input(c.id, c === anthropic ? { metadata: undefined } : {}), t.ctx)).rejects.toThrow(/internal address|Could not reach/);
      await expect(listProviderBatches(e.h.prisma, ctx, c.id)).rejects.toThrow(/internal address|could not be reached/);
    }
    for (const id of running) {
      const out = await syncBatch(e.h.prisma, id);
      expect(out.error).toMatch(/internal address|could not be reached/);
      await expect(cancelBatch(t.ctx, id)).rejects.toThrow(/internal address|Could not reach/);
    }
    expect(e.calls).toEqual([]);
    vi.restoreAllMocks();
  });
});
