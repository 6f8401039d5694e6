// Setting a connection's limits through its server action: owners and admins only, another team's
// connection is "not found", only custom connections take limits, and what is stored is what
// upload and launch read back.
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { DbHandle } from "@/lib/db/client";
import type { TeamContext } from "@/lib/auth/context";
import { createTestDb } from "@/lib/test/db";
import { captureLog, restoreLog } from "@/lib/test/log";
import { addMember, ctxOf, makeUser, useTempDataDir } from "@/lib/teams/fixtures";

// The action resolves the session itself; here the "session" is whoever the test says.
const session = vi.hoisted(() => ({ ctx: null as TeamContext | null }));
vi.mock("next/cache", () => ({ revalidatePath: () => {} }));
vi.mock("@/lib/auth/context", async () => {
  const { UserError } = await import("@/lib/errors");
  const { atLeast } = await import("@/lib/auth/roles");
  return {
    requireTeam: async (min: "OWNER" | "ADMIN" | "MEMBER" | "VIEWER" = "VIEWER") => {
      if (!session.ctx) throw new UserError("Please sign in again.");
      if (!atLeast(session.ctx.role, min)) throw new UserError(`Your role in this team cannot do that (it needs ${min.toLowerCase()} or above).`);
      return session.ctx;
    },
  };
});

const { editLimitsAction } = await import("./connections.action");
const { uploadTargets } = await import("@/lib/files/upload-targets");
const { listConnections, setConnectionLimits } = await import("./connections");

let h: DbHandle;
let owner: TeamContext, admin: TeamContext, member: TeamContext, other: TeamContext;
let customId: string, bailianId: string;

beforeAll(async () => {
  useTempDataDir();
  h = await createTestDb();
  const o = await makeUser(h.prisma, "Owner");
  const a = await makeUser(h.prisma, "Admin");
  const m = await makeUser(h.prisma, "Member");
  const x = await makeUser(h.prisma, "Other");
  await addMember(h.prisma, o.team.id, a.user.id, "ADMIN");
  await addMember(h.prisma, o.team.id, m.user.id, "MEMBER");
  owner = await ctxOf(h.prisma, o.user.id, o.team.id);
  admin = await ctxOf(h.prisma, a.user.id, o.team.id);
  member = await ctxOf(h.prisma, m.user.id, o.team.id);
  other = await ctxOf(h.prisma, x.user.id, x.team.id);
  const mk = (kind: string, name: string, baseUrl: string) =>
    h.prisma.providerConnection.create({ data: { teamId: o.team.id, kind, name, baseUrl, encryptedKey: "v1:x:y:z", keyLast4: "abcd", createdById: o.user.id } });
  customId = (await mk("openai-compatible", "Acme", "https://llm.acme.test/v1")).id;
  bailianId = (await mk("bailian", "Qwen", "https://dashscope.aliyuncs.com/compatible-mode/v1")).id;
});
afterAll(() => h.close());

const stored = async (id: string) => (await h.prisma.providerConnection.findUniqueOrThrow({ where: { id }, select: { limits: true } })).limits;

describe("editLimitsAction", () => {
  it("an admin sets limits: blank fields keep the defaults, the rest is stored and audited", async () => {
    session.ctx = admin;
    const r = await editLimitsAction({ connectionId: customId, maxRequests: "10", maxFileMB: "2", maxLineMB: "", maxCustomIdLength: "", windowMaxHours: "72" });
    expect(r).toEqual({ ok: true, data: { limits: { maxRequests: 10, maxFileBytes: 2 * 1024 * 1024, windowMaxHours: 72 } } });
    expect(await stored(customId)).toEqual({ maxRequests: 10, maxFileBytes: 2 * 1024 * 1024, windowMaxHours: 72 });
    const ev = await h.prisma.auditEvent.findFirstOrThrow({ where: { targetId: customId, action: "connection.limits_set" } });
    expect(ev.actorId).toBe(admin.user.id);
  });

  it("the upload panel's targets then carry the edited limits", async () => {
    const targets = await uploadTargets(h.prisma, member);
    expect(targets.find((t) => t.id === customId)).toMatchObject({ maxRequests: 10, maxFileBytes: 2 * 1024 * 1024, maxLineBytes: 2 * 1024 * 1024 });
  });

  it("a member is refused and nothing changes", async () => {
    session.ctx = member;
    const r = await editLimitsAction({ connectionId: customId, maxRequests: "99" });
    expect(r).toEqual({ ok: false, message: "Your role in this team cannot do that (it needs admin or above).", fieldErrors: undefined });
    expect(await stored(customId)).toMatchObject({ maxRequests: 10 });
  });

  it("another team's connection is not found", async () => {
    session.ctx = other;
    expect(await editLimitsAction({ connectionId: customId, maxRequests: "99" })).toMatchObject({ ok: false, message: "That connection was not found." });
    expect(await stored(customId)).toMatchObject({ maxRequests: 10 });
  });

  it("a value out of bounds is refused naming the field and the bound", async () => {
    session.ctx = owner;
    const r = await editLimitsAction({ connectionId: customId, maxRequests: "0", maxCustomIdLength: "abc" });
    expect(r.ok).toBe(false);
    expect(!r.ok && r.fieldErrors).toEqual({ maxRequests: "Max requests must be at least 1.", maxCustomIdLength: "custom_id max length must be a number." });
    expect(await stored(customId)).toMatchObject({ maxRequests: 10 });
  });

  it("a provider with fixed limits takes none", async () => {
    await expect(setConnectionLimits(h.prisma, owner, { connectionId: bailianId, limits: { maxRequests: 5 } })).rejects.toThrow(
      "Alibaba Bailian (DashScope) connections keep the provider's own limits; only Custom OpenAI-compatible connections take limits of their own.",
    );
  });

  it("reset to defaults clears them", async () => {
    session.ctx = owner;
    expect(await editLimitsAction({ connectionId: customId, reset: true })).toEqual({ ok: true, data: { limits: null } });
    expect(await stored(customId)).toBeNull();
    const c = (await listConnections(h.prisma, owner)).find((x) => x.id === customId);
    expect(c?.limits).toBeNull();
  });

  it("a stored value that no longer parses is read as the defaults", async () => {
    await h.prisma.providerConnection.update({ where: { id: customId }, data: { limits: { maxRequests: "lots" } } });
    const lines = captureLog("warn");
    try {
      const c = (await listConnections(h.prisma, owner)).find((x) => x.id === customId);
      expect(c?.limits).toBeNull();
    } finally {
      restoreLog();
    }
    expect(lines).toEqual([expect.objectContaining({ event: "connection.limits_ignored", connectionId: customId, why: expect.stringMatching(/^maxRequests: /) })]);
  });
});
