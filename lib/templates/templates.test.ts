// Saved CSV templates on a real (PGlite) database: CRUD, names unique per team, roles, other teams.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DbHandle } from "@/lib/db/client";
import type { Role } from "@/lib/generated/prisma/enums";
import { createTestDb } from "@/lib/test/db";
import type { CsvMappingInput } from "@/lib/csv/mapping";
import { deleteTemplate, getTemplate, listTemplates, renameTemplate, saveTemplate } from "./templates";

let h: DbHandle;
let teamId: string;
let otherTeamId: string;
let userId: string;

beforeAll(async () => {
  h = await createTestDb();
  userId = (await h.prisma.user.create({ data: { email: `tpl-${Date.now()}@example.com`, name: "Tess", passwordHash: "x" } })).id;
  teamId = (await h.prisma.team.create({ data: { name: "Templates team" } })).id;
  otherTeamId = (await h.prisma.team.create({ data: { name: "Other" } })).id;
});
afterAll(() => h.close());

const ctx = (role: Role, team = teamId) => ({ team: { id: team, name: "T", personal: false }, user: { id: userId, email: "t@example.com", name: "Tess" }, role });
const mapping = (template = "Translate: {{text}}"): CsvMappingInput => ({
  customId: { from: "row" },
  template,
  model: "qwen-plus",
  extra: { enable_thinking: true, thinking_budget: 512 },
});

describe("templates", () => {
  it("a member saves a template; every role lists it and reads its mapping with defaults filled", async () => {
    const t = await saveTemplate(h.prisma, ctx("MEMBER"), { name: "  Translate  ", mapping: mapping() });
    expect(t.name).toBe("Translate");
    const list = await listTemplates(h.prisma, teamId);
    expect(list).toHaveLength(1);
    expect(list[0]).toMatchObject({
      id: t.id,
      name: "Translate",
      createdBy: "Tess",
      mapping: { customId: { from: "row", prefix: "row-", digits: 6 }, endpoint: "/v1/chat/completions", params: {}, extra: { enable_thinking: true, thinking_budget: 512 } },
    });
    expect((await getTemplate(h.prisma, teamId, t.id)).mapping.template).toBe("Translate: {{text}}");
    const audit = await h.prisma.auditEvent.findFirst({ where: { teamId, action: "template.saved" } });
    expect(audit?.targetId).toBe(t.id);
  });

  it("names are unique in a team (overwrite replaces the mapping), not across teams", async () => {
    await expect(saveTemplate(h.prisma, ctx("ADMIN"), { name: "Translate", mapping: mapping("x {{a}}") })).rejects.toThrow('The team already has a template named "Translate"');
    const again = await saveTemplate(h.prisma, ctx("ADMIN"), { name: "Translate", mapping: mapping("Again: {{text}}"), overwrite: true });
    expect((await getTemplate(h.prisma, teamId, again.id)).mapping.template).toBe("Again: {{text}}");
    expect(await listTemplates(h.prisma, teamId)).toHaveLength(1);
    await saveTemplate(h.prisma, ctx("OWNER", otherTeamId), { name: "Translate", mapping: mapping() });
    expect(await listTemplates(h.prisma, otherTeamId)).toHaveLength(1);
  });

  it("refuses an invalid mapping", async () => {
    await expect(saveTemplate(h.prisma, ctx("MEMBER"), { name: "Bad", mapping: { ...mapping(), extra: { model: "other" } } })).rejects.toThrow(/set by the mapping itself/);
    // Over the cap, or with a NUL PostgreSQL cannot store: refused before anything is written.
    await expect(saveTemplate(h.prisma, ctx("MEMBER"), { name: "Big", mapping: mapping("{{text}}".repeat(40_000)) })).rejects.toThrow("The prompt template is 313 KB, over the 256 KB limit");
    await expect(saveTemplate(h.prisma, ctx("MEMBER"), { name: "Nul", mapping: mapping("{{text}}\u0000") })).rejects.toThrow("contains a NUL character");
    expect(await h.prisma.promptTemplate.count({ where: { name: { in: ["Big", "Nul"] } } })).toBe(0);
  });

  it("renames and deletes; a name taken, or another team's template, is refused", async () => {
    const a = await saveTemplate(h.prisma, ctx("MEMBER"), { name: "Summarise", mapping: mapping("Summarise {{text}}") });
    await expect(renameTemplate(h.prisma, ctx("MEMBER"), { templateId: a.id, name: "Translate" })).rejects.toThrow(/already has a template named/);
    expect(await renameTemplate(h.prisma, ctx("MEMBER"), { templateId: a.id, name: "Summary" })).toEqual({ id: a.id, name: "Summary" });

    const theirs = (await listTemplates(h.prisma, otherTeamId))[0];
    await expect(getTemplate(h.prisma, teamId, theirs.id)).rejects.toThrow("That template was not found.");
    await expect(renameTemplate(h.prisma, ctx("OWNER"), { templateId: theirs.id, name: "Mine now" })).rejects.toThrow("That template was not found.");
    await expect(deleteTemplate(h.prisma, ctx("OWNER"), theirs.id)).rejects.toThrow("That template was not found.");
    expect((await listTemplates(h.prisma, otherTeamId))[0].name).toBe("Translate");

    await deleteTemplate(h.prisma, ctx("MEMBER"), a.id);
    expect((await listTemplates(h.prisma, teamId)).map((t) => t.name)).toEqual(["Translate"]);
  });

  it("a viewer can read but not save, rename or delete", async () => {
    const [t] = await listTemplates(h.prisma, teamId);
    const viewer = ctx("VIEWER");
    await expect(saveTemplate(h.prisma, viewer, { name: "Nope", mapping: mapping() })).rejects.toThrow(/needs the member role/);
    await expect(renameTemplate(h.prisma, viewer, { templateId: t.id, name: "Nope" })).rejects.toThrow(/needs the member role/);
    await expect(deleteTemplate(h.prisma, viewer, t.id)).rejects.toThrow(/needs the member role/);
    expect((await listTemplates(h.prisma, teamId)).map((x) => x.name)).toEqual(["Translate"]);
  });
});
