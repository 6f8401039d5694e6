// teamAction, through real server actions on a real database: a NUL in any text of the input is a
// field error before anything is stored (PostgreSQL would refuse it: 22021 in text, 22P05 in jsonb,
// and the user would read "Something went wrong on our side").
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { TeamContext } from "@/lib/auth/context";
import type { DbHandle } from "@/lib/db/client";
import { createTestDb } from "@/lib/test/db";
import { ctxOf, makeUser, useTempDataDir } from "@/lib/teams/fixtures";

const session = vi.hoisted(() => ({ ctx: null as TeamContext | null }));
vi.mock("next/cache", () => ({ revalidatePath: () => {} }));
vi.mock("@/lib/auth/context", async () => {
  const { UserError } = await import("@/lib/errors");
  return {
    requireTeam: async () => {
      if (!session.ctx) throw new UserError("Please sign in again.");
      return session.ctx;
    },
  };
});

const { renameTemplateAction } = await import("@/lib/templates/templates.action");
const { addPriceAction } = await import("@/lib/pricing/actions");
const { saveTemplate } = await import("@/lib/templates/templates");

let h: DbHandle;
beforeAll(async () => {
  useTempDataDir();
  h = await createTestDb();
  const o = await makeUser(h.prisma, "Owner");
  session.ctx = await ctxOf(h.prisma, o.user.id, o.team.id);
});
afterAll(() => h.close());

const form = (fields: Record<string, string>) => {
  const f = new FormData();
  for (const [k, v] of Object.entries(fields)) f.set(k, v);
  return f;
};
const nul = "This text contains a NUL character (\\u0000), which cannot be stored. Remove it.";

describe("teamAction", () => {
  it("answers a NUL in a text field with a field error, storing nothing", async () => {
    const t = await saveTemplate(h.prisma, session.ctx!, { name: "Plain", mapping: { customId: { from: "row" }, template: "{{q}}", model: "m" } });
    expect(await renameTemplateAction(null, form({ templateId: t.id, name: "Re\u0000named" }))).toEqual({ ok: false, message: nul, fieldErrors: { name: nul } });
    expect((await h.prisma.promptTemplate.findUniqueOrThrow({ where: { id: t.id } })).name).toBe("Plain");

    const price = await addPriceAction(null, form({ providerKind: "openai", model: "gpt-4o\u0000", inputPerMTok: "1", outputPerMTok: "2" }));
    expect(price).toEqual({ ok: false, message: nul, fieldErrors: { model: nul } });
    expect(await h.prisma.price.count()).toBe(0);
    // The same inputs without it go through.
    expect(await renameTemplateAction(null, form({ templateId: t.id, name: "Renamed" }))).toMatchObject({ ok: true });
  });
});
