// Connections that run on the sandbox's imitation of their provider: made without a key (the team's
// own sandbox key, server-side), resolved to this app's /api/sandbox/<mode>, tested, and used for a
// whole batch with that provider's quirks, over real HTTP.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { TeamContext } from "@/lib/auth/context";
import { decryptSecret } from "@/lib/crypto";
import { sandboxKeyForTeam } from "@/lib/providers/sandbox/keys";
import { ctxOf } from "@/lib/teams/fixtures";
import { launchBatch } from "@/lib/batches/engine/launch";
import { syncBatch } from "@/lib/batches/engine/sync";
import { launchInput, makeFile, makeTeam, startEngine, until, type Engine } from "@/lib/batches/engine/fixtures";
import { addConnection, listConnections, replaceKey, testConnection } from "./connections";
import { addConnectionInput } from "./connections.schema";

let e: Engine;
let owner: TeamContext;
let teamId: string;
const paths: string[] = [];
const headers: Headers[] = [];

beforeAll(async () => {
  e = await startEngine();
  e.intercept.fn = async (req) => {
    paths.push(new URL(req.url).pathname);
    headers.push(new Headers(req.headers));
    return undefined;
  };
  const t = await makeTeam(e);
  teamId = t.team.id;
  owner = await ctxOf(e.h.prisma, t.user.id, t.team.id);
});
afterAll(() => e?.close());

describe("a connection on the sandbox's imitation of its provider", () => {
  it("takes no key: the team's sandbox key is stored, encrypted, and the form's fields say so", async () => {
    expect(addConnectionInput.safeParse({ target: "sandbox", kind: "doubleword", name: "DW" }).success).toBe(true);
    // Without a target the provider's own service is meant, and then a key is required.
    const noKey = addConnectionInput.safeParse({ kind: "doubleword", name: "DW", baseUrl: "https://api.doubleword.ai/v1" });
    expect(noKey.success).toBe(false);

    const c = await addConnection(e.h.prisma, owner, addConnectionInput.parse({ target: "sandbox", kind: "doubleword", name: "DW imitation" }));
    expect(c).toMatchObject({ kind: "doubleword", baseUrl: "builtin:doubleword", imitation: true, builtIn: false, baseUrlLabel: "Batchboard Sandbox, imitating Doubleword" });
    const row = await e.h.prisma.providerConnection.findUniqueOrThrow({ where: { id: c.id }, select: { encryptedKey: true } });
    expect(row.encryptedKey).not.toContain("sk-sandbox");
    expect(decryptSecret(row.encryptedKey)).toBe(sandboxKeyForTeam(teamId));
    await expect(replaceKey(e.h.prisma, owner, { connectionId: c.id, apiKey: "sk-something-else-1234" })).rejects.toThrow(/takes no key of yours/);
  });

  it("tests and runs a whole batch against the imitation, with the provider's quirks", async () => {
    const [c] = (await listConnections(e.h.prisma, owner)).filter((x) => x.name === "DW imitation");
    paths.length = 0;
    expect(await testConnection(e.h.prisma, owner, c.id)).toMatchObject({ ok: true, outcome: "ok" });
    expect(paths.length).toBeGreaterThan(0);
    expect(paths.every((p) => p.startsWith("/api/sandbox/doubleword/v1/"))).toBe(true);

    const file = await makeFile(e, teamId, 5, { failing: [2] });
    const { batchId } = await launchBatch(launchInput(c.id, file.id, { completionWindow: "1h" }) as never, owner);
    const done = await until(e, batchId, () => syncBatch(e.h.prisma, batchId));
    expect(done.status).toBe("COMPLETED");
    // Doubleword's ids are bare UUIDs: the imitation's answer, not the generic sandbox's.
    expect(done.providerBatchId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    expect(await e.h.prisma.result.count({ where: { batchId } })).toBe(5);
  });

  it("works for Anthropic's shape too", async () => {
    const c = await addConnection(e.h.prisma, owner, addConnectionInput.parse({ target: "sandbox", kind: "anthropic", name: "Claude imitation" }));
    expect(c.baseUrl).toBe("builtin:anthropic");
    paths.length = 0;
    headers.length = 0;
    expect(await testConnection(e.h.prisma, owner, c.id)).toMatchObject({ ok: true });
    expect(paths.every((p) => p.startsWith("/api/sandbox/anthropic/v1/"))).toBe(true);
    // As Anthropic's documents show: x-api-key and anthropic-version 2023-06-01, no Bearer.
    expect(headers.length).toBeGreaterThan(0);
    for (const h of headers) {
      expect(h.get("x-api-key")).toBe(sandboxKeyForTeam(teamId));
      expect(h.get("anthropic-version")).toBe("2023-06-01");
      expect(h.get("authorization")).toBeNull();
    }
  });
});
