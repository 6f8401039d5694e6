// Prices: the built-in table's matching rules, and a team's own rows through the Prices page's
// server actions on a real database: owners and admins may add, change and delete them, members
// and viewers only read, another team's row is "not found", and a team row beats the built-in one
// in every estimate and summary that reads the table.
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { DbHandle } from "@/lib/db/client";
import type { TeamContext } from "@/lib/auth/context";
import { createTestDb } from "@/lib/test/db";
import { addMember, ctxOf, makeUser, useTempDataDir } from "@/lib/teams/fixtures";
import { BUILTIN_PRICES } from "./builtin";
import { findPrice, modelScore } from "./match";

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

const { addPriceAction, updatePriceAction, deletePriceAction } = await import("./actions");
const { addPrice, priceTable, teamPrices } = await import("./prices");

let h: DbHandle;
let owner: TeamContext, admin: TeamContext, member: TeamContext, viewer: TeamContext, other: TeamContext;

const form = (v: Record<string, string>) => {
  const f = new FormData();
  for (const [k, x] of Object.entries(v)) f.set(k, x);
  return f;
};

beforeAll(async () => {
  useTempDataDir();
  h = await createTestDb();
  const o = await makeUser(h.prisma, "Owner");
  const a = await makeUser(h.prisma, "Admin");
  const m = await makeUser(h.prisma, "Member");
  const v = await makeUser(h.prisma, "Viewer");
  const x = await makeUser(h.prisma, "Other");
  await addMember(h.prisma, o.team.id, a.user.id, "ADMIN");
  await addMember(h.prisma, o.team.id, m.user.id, "MEMBER");
  await addMember(h.prisma, o.team.id, v.user.id, "VIEWER");
  owner = await ctxOf(h.prisma, o.user.id, o.team.id);
  admin = await ctxOf(h.prisma, a.user.id, o.team.id);
  member = await ctxOf(h.prisma, m.user.id, o.team.id);
  viewer = await ctxOf(h.prisma, v.user.id, o.team.id);
  other = await ctxOf(h.prisma, x.user.id, x.team.id);
});
afterAll(() => h.close());

describe("the built-in table", () => {
  it("holds batch prices: half of OpenAI's list price, Bailian's in CNY", () => {
    expect(findPrice([], "openai", "gpt-4o-mini", "24h")).toMatchObject({ inputPerMTok: 0.075, outputPerMTok: 0.3, currency: "USD", origin: "builtin" });
    expect(findPrice([], "bailian", "qwen-plus", "24h")).toMatchObject({ inputPerMTok: 0.4, outputPerMTok: 1, currency: "CNY" });
    expect(findPrice([], "sandbox", "anything", "1h")).toMatchObject({ inputPerMTok: 0, outputPerMTok: 0 });
    for (const p of BUILTIN_PRICES) {
      // Every list price says when it was read (the sandbox's is Batchboard's own).
      if (p.providerKind !== "sandbox") expect(p.source.asOf, p.model).toMatch(/^20\d\d-\d\d$/);
      // No document we hold states a per-model price: the page must say they are unchecked.
      if (p.providerKind !== "sandbox") expect(p.source.figuresChecked, p.model).toBe(false);
      expect(Number.isFinite(p.inputPerMTok) && p.inputPerMTok >= 0).toBe(true);
    }
  });

  it("matches dated versions by the longest prefix, and an exact name first", () => {
    expect(findPrice([], "openai", "gpt-4o-2024-08-06", "24h")?.model).toBe("gpt-4o*");
    expect(findPrice([], "openai", "gpt-4o-mini-2024-07-18", "24h")?.model).toBe("gpt-4o-mini*");
    expect(findPrice([], "openai", "gpt-4o-2024-05-13", "24h")).toMatchObject({ model: "gpt-4o-2024-05-13", inputPerMTok: 2.5 });
    expect(findPrice([], "openai", "GPT-4O", "24h")?.model).toBe("gpt-4o*");
    expect(findPrice([], "openai", "qwen-plus", "24h")).toBeNull();
    expect(findPrice([], "doubleword", "Qwen/Qwen3-30B-A3B-Instruct-2507", "24h")).toBeNull();
    expect(modelScore("gpt-4o", "gpt-4o")).toBeGreaterThan(modelScore("gpt-4o*", "gpt-4o"));
    expect(modelScore("gpt-4o*", "gpt-4.1")).toBe(-1);
  });

  it("derives Doubleword's 1h price from its 24h price (+50%), unless a 1h price is set", () => {
    const row = { providerKind: "doubleword", model: "m", window: "24h", currency: "USD", inputPerMTok: 0.1, outputPerMTok: 0.4, origin: "team" as const };
    const oneHour = findPrice([row], "doubleword", "m", "1h");
    expect(oneHour).toMatchObject({ inputPerMTok: 0.15, outputPerMTok: 0.6, window: "1h" });
    expect(oneHour?.derived).toContain("50%");
    const direct = findPrice([row], "doubleword", "m", "24h");
    expect(direct).toMatchObject({ inputPerMTok: 0.1 });
    expect(direct?.derived).toBeUndefined();
    const set = { ...row, window: "1h", inputPerMTok: 0.2 };
    expect(findPrice([row, set], "doubleword", "m", "1h")).toMatchObject({ inputPerMTok: 0.2 });
    // The rule is Doubleword's only.
    expect(findPrice([{ ...row, providerKind: "openai-compatible" }], "openai-compatible", "m", "1h")).toBeNull();
  });
});

describe("team prices through the actions", () => {
  it("lets owners and admins add a row that overrides the built-in price", async () => {
    session.ctx = admin;
    const res = await addPriceAction(null, form({ providerKind: "openai", model: "gpt-4o-mini", window: "", currency: "usd", inputPerMTok: "0.05", outputPerMTok: "0.2" }));
    expect(res).toMatchObject({ ok: true });
    const own = await teamPrices(h.prisma, owner.team.id);
    expect(own).toHaveLength(1);
    expect(own[0]).toMatchObject({ model: "gpt-4o-mini", currency: "USD", inputPerMTok: 0.05, origin: "team" });
    expect(findPrice(own, "openai", "gpt-4o-mini", "24h")).toMatchObject({ origin: "team", inputPerMTok: 0.05 });
    // Dated versions keep the built-in prefix row: the team named one model exactly.
    expect(findPrice(own, "openai", "gpt-4o-mini-2024-07-18", "24h")).toMatchObject({ origin: "builtin" });
    const table = await priceTable(h.prisma, owner.team.id);
    expect(table.find((r) => r.origin === "team" && r.model === "gpt-4o-mini")).toBeTruthy();
    expect(await h.prisma.auditEvent.count({ where: { teamId: owner.team.id, action: "price.created", actorId: admin.user.id } })).toBe(1);
    // Another team sees only the built-in price.
    expect(findPrice(await teamPrices(h.prisma, other.team.id), "openai", "gpt-4o-mini", "24h")).toMatchObject({ origin: "builtin" });
  });

  it("refuses members and viewers", async () => {
    for (const ctx of [member, viewer]) {
      session.ctx = ctx;
      const res = await addPriceAction(null, form({ providerKind: "openai", model: "gpt-x", inputPerMTok: "1", outputPerMTok: "2" }));
      expect(res).toMatchObject({ ok: false, message: "Your role in this team cannot do that (it needs admin or above)." });
    }
    // And the library refuses too, whatever calls it.
    await expect(addPrice(h.prisma, member, { providerKind: "openai", model: "gpt-x", window: "", currency: "USD", inputPerMTok: 1, outputPerMTok: 2 })).rejects.toThrow(
      "Only the team's owners and admins can change prices.",
    );
    expect(await h.prisma.price.count({ where: { model: "gpt-x" } })).toBe(0);
  });

  it("explains invalid input by field", async () => {
    session.ctx = owner;
    const bad = await addPriceAction(null, form({ providerKind: "openai", model: "gpt 4o", window: "3h", currency: "dollars", inputPerMTok: "-1", outputPerMTok: "abc" }));
    expect(bad.ok).toBe(false);
    if (bad.ok) return;
    expect(bad.fieldErrors).toMatchObject({
      model: "A model name has no spaces.",
      currency: "Use a 3-letter currency code, like USD or CNY.",
      inputPerMTok: "The input price cannot be negative.",
      outputPerMTok: "Enter the output price per million tokens, like 0.15.",
    });
    const window = await addPriceAction(null, form({ providerKind: "openai", model: "gpt-4o", window: "3h", inputPerMTok: "1", outputPerMTok: "1" }));
    expect(window).toMatchObject({ ok: false, fieldErrors: { window: "OpenAI does not offer the window 3h; it accepts 24h. Leave it empty for any window." } });
    const kind = await addPriceAction(null, form({ providerKind: "nope", model: "m", inputPerMTok: "1", outputPerMTok: "1" }));
    expect(kind).toMatchObject({ ok: false, fieldErrors: { providerKind: "Choose a provider from the list." } });
    const star = await addPriceAction(null, form({ providerKind: "openai", model: "gpt-*-mini", inputPerMTok: "1", outputPerMTok: "1" }));
    expect(star.ok).toBe(false);
  });

  it("says a duplicate row exists instead of failing", async () => {
    session.ctx = owner;
    const dup = await addPriceAction(null, form({ providerKind: "openai", model: "gpt-4o-mini", window: "", inputPerMTok: "1", outputPerMTok: "1" }));
    expect(dup).toMatchObject({
      ok: false,
      fieldErrors: { model: "This team already has a price for gpt-4o-mini on OpenAI (any window). Edit that row instead." },
    });
    // The same model for one window is another row.
    expect(await addPriceAction(null, form({ providerKind: "openai", model: "gpt-4o-mini", window: "24h", inputPerMTok: "0.04", outputPerMTok: "0.1" }))).toMatchObject({ ok: true });
    const own = await teamPrices(h.prisma, owner.team.id);
    expect(findPrice(own, "openai", "gpt-4o-mini", "24h")).toMatchObject({ window: "24h", inputPerMTok: 0.04 });
  });

  it("edits and deletes the team's own rows only", async () => {
    const row = await h.prisma.price.findFirstOrThrow({ where: { teamId: owner.team.id, window: "" } });
    session.ctx = owner;
    expect(await updatePriceAction(null, form({ id: row.id, providerKind: "openai", model: "gpt-4o-mini", window: "", currency: "EUR", inputPerMTok: "0.07", outputPerMTok: "0.21" }))).toMatchObject({ ok: true });
    expect(await h.prisma.price.findUniqueOrThrow({ where: { id: row.id } })).toMatchObject({ currency: "EUR", inputPerMTok: 0.07, updatedById: owner.user.id });

    session.ctx = other; // an owner, of another team
    expect(await updatePriceAction(null, form({ id: row.id, providerKind: "openai", model: "x", inputPerMTok: "1", outputPerMTok: "1" }))).toMatchObject({ ok: false, message: "That price was not found." });
    expect(await deletePriceAction(null, form({ id: row.id }))).toMatchObject({ ok: false, message: "That price was not found." });
    session.ctx = viewer;
    expect(await deletePriceAction(null, form({ id: row.id }))).toMatchObject({ ok: false });
    session.ctx = admin;
    expect(await deletePriceAction(null, form({ id: row.id }))).toMatchObject({ ok: true });
    expect(await h.prisma.price.count({ where: { id: row.id } })).toBe(0);
    expect(await h.prisma.auditEvent.count({ where: { teamId: owner.team.id, action: "price.deleted", targetId: row.id } })).toBe(1);
  });
});
