// A team's own prices over the built-in table: list, add, change, delete. Everyone in the team may
// read them; only owners and admins may change them (can.manage). Every change is audited.
import "server-only";
import type { Db } from "@/lib/db/client";
import { Prisma } from "@/lib/generated/prisma/client";
import type { TeamContext } from "@/lib/auth/context";
import { can } from "@/lib/auth/roles";
import { audit } from "@/lib/audit";
import { NotFoundError, UserError } from "@/lib/errors";
import { profiles } from "@/lib/providers/profiles";
import { builtinRows, type PriceRow } from "./match";
import { priceInput, type PriceInput } from "./schema";

/** The team's own rows, as the matcher and the page take them. */
export async function teamPrices(prisma: Db, teamId: string): Promise<PriceRow[]> {
  const rows = await prisma.price.findMany({ where: { teamId }, orderBy: [{ providerKind: "asc" }, { model: "asc" }, { window: "asc" }] });
  return rows.map((r) => ({
    id: r.id,
    providerKind: r.providerKind,
    model: r.model,
    window: r.window,
    currency: r.currency,
    inputPerMTok: r.inputPerMTok,
    outputPerMTok: r.outputPerMTok,
    origin: "team" as const,
    updatedAt: r.updatedAt.toISOString(),
  }));
}

export interface PriceTableRow extends PriceRow {
  /** A built-in row that a team row with the same kind, model and window replaces. */
  overridden?: boolean;
}

/** The whole table the page shows: the team's rows and the built-in ones, by provider. */
export async function priceTable(prisma: Db, teamId: string): Promise<PriceTableRow[]> {
  const own = await teamPrices(prisma, teamId);
  const key = (r: PriceRow) => `${r.providerKind}\u0000${r.model.toLowerCase()}\u0000${r.window}`;
  const ownKeys = new Set(own.map(key));
  const all: PriceTableRow[] = [...own, ...builtinRows().map((r) => ({ ...r, overridden: ownKeys.has(key(r)) }))];
  const order = Object.keys(profiles);
  return all.sort(
    (a, b) =>
      order.indexOf(a.providerKind) - order.indexOf(b.providerKind) ||
      a.model.localeCompare(b.model) ||
      a.window.localeCompare(b.window) ||
      Number(a.origin === "builtin") - Number(b.origin === "builtin"),
  );
}

function requireManager(ctx: TeamContext) {
  if (!can.manage(ctx.role)) throw new UserError("Only the team's owners and admins can change prices.");
}

function checked(input: PriceInput): PriceInput {
  // Whatever the form did: what is stored is what estimates trust.
  const r = priceInput.safeParse(input);
  if (!r.success) {
    const fields: Record<string, string> = {};
    for (const i of r.error.issues) fields[String(i.path[0] ?? "_")] ??= i.message;
    throw new UserError(r.error.issues[0].message, fields);
  }
  return r.data;
}

function duplicate(input: PriceInput) {
  const label = profiles[input.providerKind]?.label ?? input.providerKind;
  const msg = `This team already has a price for ${input.model} on ${label} (${input.window ? `window ${input.window}` : "any window"}). Edit that row instead.`;
  return new UserError(msg, { model: msg });
}

export async function addPrice(prisma: Db, ctx: TeamContext, raw: PriceInput) {
  requireManager(ctx);
  const input = checked(raw);
  try {
    const row = await prisma.price.create({ data: { teamId: ctx.team.id, ...input, updatedById: ctx.user.id } });
    await audit(prisma, { teamId: ctx.team.id, actorId: ctx.user.id, action: "price.created", targetType: "price", targetId: row.id, targetLabel: row.model, data: { ...input } });
    return row;
  } catch (err) {
    if (err instanceof Prisma.PrismaClientKnownRequestError && err.code === "P2002") throw duplicate(input);
    throw err;
  }
}

export async function updatePrice(prisma: Db, ctx: TeamContext, raw: PriceInput & { id: string }) {
  requireManager(ctx);
  const input = checked(raw);
  const own = await prisma.price.findFirst({ where: { id: raw.id, teamId: ctx.team.id }, select: { id: true } });
  if (!own) throw new NotFoundError("That price");
  try {
    const row = await prisma.price.update({ where: { id: own.id }, data: { ...input, updatedById: ctx.user.id } });
    await audit(prisma, { teamId: ctx.team.id, actorId: ctx.user.id, action: "price.updated", targetType: "price", targetId: row.id, targetLabel: row.model, data: { ...input } });
    return row;
  } catch (err) {
    if (err instanceof Prisma.PrismaClientKnownRequestError && err.code === "P2002") throw duplicate(input);
    throw err;
  }
}

export async function deletePrice(prisma: Db, ctx: TeamContext, id: string) {
  requireManager(ctx);
  const own = await prisma.price.findFirst({ where: { id, teamId: ctx.team.id } });
  if (!own) throw new NotFoundError("That price");
  await prisma.price.delete({ where: { id: own.id } });
  await audit(prisma, {
    teamId: ctx.team.id,
    actorId: ctx.user.id,
    action: "price.deleted",
    targetType: "price",
    targetId: own.id,
    targetLabel: own.model,
    data: { providerKind: own.providerKind, model: own.model, window: own.window },
  });
}
