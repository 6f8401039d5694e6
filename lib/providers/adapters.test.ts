// loadConnection: the one read and decryption of a connection an operation makes, giving its
// effective profile (the team's own limits laid over the kind's), its protocol's adapter and the
// least time between polls; another team's connection is "not found".
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DbHandle } from "@/lib/db/client";
import { encryptSecret } from "@/lib/crypto";
import { resetEnvForTests } from "@/lib/env";
import { createTestDb } from "@/lib/test/db";
import { makeUser, useTempDataDir } from "@/lib/teams/fixtures";
import { adapterFor, loadConnection } from "./adapters";
import { profiles } from "./profiles";

let h: DbHandle;
beforeAll(async () => {
  useTempDataDir();
  h = await createTestDb();
});
afterAll(() => h?.close());

const connection = (teamId: string, kind: string, baseUrl: string, limits?: object) =>
  h.prisma.providerConnection.create({
    data: { teamId, kind, name: `${kind} ${baseUrl}`, baseUrl, encryptedKey: encryptSecret("sk-test-12345678"), keyLast4: "5678", ...(limits ? { limits } : {}) },
  });

describe("adapterFor", () => {
  it("answers the adapter of every kind's protocol: two adapters for ten kinds", () => {
    const adapters = new Set(Object.keys(profiles).map((k) => adapterFor(k)));
    expect(adapters.size).toBe(2);
    expect(() => adapterFor("mistral")).toThrow("Unknown provider kind: mistral");
  });
});

describe("loadConnection", () => {
  it("reads a connection once: the effective profile with the team's limits, and its adapter", async () => {
    const { team } = await makeUser(h.prisma, "Owner");
    const c = await connection(team.id, "openai-compatible", "https://llm.example.com/v1", { maxRequests: 10 });
    const loaded = await loadConnection(h.prisma, team.id, c.id);
    expect(loaded).toMatchObject({ id: c.id, kind: "openai-compatible", onSandbox: false });
    expect(loaded.profile.limits.maxRequests).toBe(10);
    expect(loaded.adapter.frame.suffix).toBe(".jsonl");
    // The sync worker acts for no team and reads by id alone.
    expect((await loadConnection(h.prisma, null, c.id)).id).toBe(c.id);
  });

  it("answers another team's connection as not found", async () => {
    const a = await makeUser(h.prisma, "A");
    const b = await makeUser(h.prisma, "B");
    const c = await connection(a.team.id, "openai", "https://api.openai.com/v1");
    await expect(loadConnection(h.prisma, b.team.id, c.id)).rejects.toThrow("That connection was not found.");
  });

  it("polls each batch at its provider's pace, imitations included: Bailian 60 s, Doubleword 30 s, others 30 s, the Sandbox 5 s", async () => {
    const { team } = await makeUser(h.prisma, "Poller");
    const real = await connection(team.id, "bailian", "https://dashscope.aliyuncs.com/compatible-mode/v1");
    const imitation = await connection(team.id, "bailian", "builtin:bailian");
    const dw = await connection(team.id, "doubleword", "https://api.doubleword.ai/v1");
    const oa = await connection(team.id, "openai", "https://api.openai.com/v1");
    const sandbox = await h.prisma.providerConnection.findFirstOrThrow({ where: { teamId: team.id, kind: "sandbox" } });
    const floor = async (id: string) => (await loadConnection(h.prisma, team.id, id)).pollFloorMs;
    // The tests' own override (vitest.config.ts) makes every batch fast; without it, the providers' pace.
    const saved = process.env.SYNC_POLL_OVERRIDE_MS;
    try {
      delete process.env.SYNC_POLL_OVERRIDE_MS;
      resetEnvForTests();
      expect(await loadConnection(h.prisma, team.id, real.id)).toMatchObject({ onSandbox: false, pollFloorMs: 60_000 });
      expect(await loadConnection(h.prisma, team.id, imitation.id)).toMatchObject({ onSandbox: true, pollFloorMs: 60_000 });
      expect(await floor(dw.id)).toBe(30_000);
      expect(await floor(oa.id)).toBe(30_000);
      expect(await floor(sandbox.id)).toBe(5_000);
      process.env.SYNC_POLL_OVERRIDE_MS = "250";
      resetEnvForTests();
      expect(await floor(real.id)).toBe(250);
    } finally {
      process.env.SYNC_POLL_OVERRIDE_MS = saved;
      resetEnvForTests();
    }
    const anthropic = await connection(team.id, "anthropic", "https://api.anthropic.com");
    expect((await loadConnection(h.prisma, team.id, anthropic.id)).adapter.frame).toMatchObject({ open: '{"requests":[', separator: ",", close: "]}" });
  });
});
