// A team's saved CSV mappings ("templates"): the same object lib/csv/mapping.ts describes, under a
// name unique in the team. Every member may use them; members and above may save, rename and delete
// them (lib/auth/roles.ts `can.run`), viewers only read. Another team's template is "not found".
import "server-only";
import type { Db } from "@/lib/db/client";
import { Prisma } from "@/lib/generated/prisma/client";
import type { TeamContext } from "@/lib/auth/context";
import { can } from "@/lib/auth/roles";
import { audit } from "@/lib/audit";
import { NotFoundError, UserError } from "@/lib/errors";
import { csvMapping, type CsvMapping } from "@/lib/csv/mapping";
import type { RenameTemplateInput, SaveTemplateInput } from "./templates.schema";
import { log } from "@/lib/log";

export interface TemplateView {
  id: string;
  name: string;
  mapping: CsvMapping;
  createdBy: string | null;
  updatedAt: Date;
}

type Ctx = Pick<TeamContext, "team" | "user" | "role">;

function requireRunner(ctx: Ctx) {
  if (!can.run(ctx.role)) throw new UserError("Saving, renaming and deleting templates needs the member role or above.");
}

const nameTaken = (name: string) => new UserError(`The team already has a template named "${name}". Choose another name.`, { name: "Taken" });
const isUnique = (err: unknown) => err instanceof Prisma.PrismaClientKnownRequestError && err.code === "P2002";

/** A stored mapping, read through the schema (defaults filled); null when it no longer parses. */
function readMapping(json: unknown): CsvMapping | null {
  const r = csvMapping.safeParse(json);
  if (!r.success) return null;
  return r.data;
}

/** The team's templates, by name. Templates whose stored mapping no longer parses are left out (and logged). */
export async function listTemplates(prisma: Db, teamId: string): Promise<TemplateView[]> {
  const rows = await prisma.promptTemplate.findMany({ where: { teamId }, orderBy: { name: "asc" } });
  const ids = [...new Set(rows.map((r) => r.createdById).filter((x): x is string => !!x))];
  const users = ids.length ? await prisma.user.findMany({ where: { id: { in: ids } }, select: { id: true, name: true } }) : [];
  const names = new Map(users.map((u) => [u.id, u.name]));
  const out: TemplateView[] = [];
  for (const r of rows) {
    const mapping = readMapping(r.mapping);
    if (!mapping) {
      log.warn("template.mapping_unreadable", { templateId: r.id, why: "its mapping no longer parses; it is not listed" });
      continue;
    }
    out.push({ id: r.id, name: r.name, mapping, createdBy: r.createdById ? (names.get(r.createdById) ?? null) : null, updatedAt: r.updatedAt });
  }
  return out;
}

/** One template of the team, or NotFoundError. */
export async function getTemplate(prisma: Db, teamId: string, id: string): Promise<{ id: string; name: string; mapping: CsvMapping }> {
  const r = await prisma.promptTemplate.findFirst({ where: { id, teamId }, select: { id: true, name: true, mapping: true } });
  if (!r) throw new NotFoundError("That template");
  const mapping = readMapping(r.mapping);
  if (!mapping) throw new UserError(`The template "${r.name}" can no longer be read: save the mapping again under a new name.`);
  return { id: r.id, name: r.name, mapping };
}

/** Saves a mapping under a new name; with `overwrite`, replaces the mapping of the template of that name. */
export async function saveTemplate(prisma: Db, ctx: Ctx, input: SaveTemplateInput & { overwrite?: boolean }): Promise<{ id: string; name: string }> {
  requireRunner(ctx);
  const mapping = csvMapping.parse(input.mapping) as unknown as Prisma.InputJsonValue;
  const name = input.name.trim();
  try {
    const row = input.overwrite
      ? await prisma.promptTemplate.upsert({
          where: { teamId_name: { teamId: ctx.team.id, name } },
          create: { teamId: ctx.team.id, name, mapping, createdById: ctx.user.id },
          update: { mapping },
          select: { id: true, name: true },
        })
      : await prisma.promptTemplate.create({ data: { teamId: ctx.team.id, name, mapping, createdById: ctx.user.id }, select: { id: true, name: true } });
    await audit(prisma, { teamId: ctx.team.id, actorId: ctx.user.id, action: "template.saved", targetType: "template", targetId: row.id, targetLabel: name, data: { name } });
    return row;
  } catch (err) {
    if (isUnique(err)) throw nameTaken(name);
    throw err;
  }
}

export async function renameTemplate(prisma: Db, ctx: Ctx, input: RenameTemplateInput): Promise<{ id: string; name: string }> {
  requireRunner(ctx);
  const t = await prisma.promptTemplate.findFirst({ where: { id: input.templateId, teamId: ctx.team.id }, select: { id: true, name: true } });
  if (!t) throw new NotFoundError("That template");
  try {
    const row = await prisma.promptTemplate.update({ where: { id: t.id }, data: { name: input.name }, select: { id: true, name: true } });
    await audit(prisma, { teamId: ctx.team.id, actorId: ctx.user.id, action: "template.renamed", targetType: "template", targetId: t.id, targetLabel: row.name, data: { from: t.name, to: row.name } });
    return row;
  } catch (err) {
    if (isUnique(err)) throw nameTaken(input.name);
    throw err;
  }
}

export async function deleteTemplate(prisma: Db, ctx: Ctx, templateId: string): Promise<void> {
  requireRunner(ctx);
  // Scoped by team in the statement itself: another team's id deletes nothing and is "not found".
  const t = await prisma.promptTemplate.findFirst({ where: { id: templateId, teamId: ctx.team.id }, select: { name: true } });
  const { count } = await prisma.promptTemplate.deleteMany({ where: { id: templateId, teamId: ctx.team.id } });
  if (count === 0) throw new NotFoundError("That template");
  await audit(prisma, { teamId: ctx.team.id, actorId: ctx.user.id, action: "template.deleted", targetType: "template", targetId: templateId, targetLabel: t?.name });
}
