// What each member receives, per event type: in the app and by email. The types a member's role is
// not told about (admins' notices) are neither shown nor saved for them.
import "server-only";
import type { Db } from "@/lib/db/client";
import type { TeamContext } from "@/lib/auth/context";
import { atLeast } from "@/lib/auth/roles";
import { EVENT_INFO, EVENT_TYPES, type EventType } from "./events";
import { emailEnabled, preferencesOf } from "./notify";
import { fieldName } from "./preferences.schema";

function typesFor(ctx: TeamContext): EventType[] {
  return EVENT_TYPES.filter((t) => EVENT_INFO[t].audience === "members" || atLeast(ctx.role, "ADMIN"));
}

export async function readPreferences(prisma: Db, ctx: TeamContext) {
  const rows = await Promise.all(typesFor(ctx).map(async (type) => ({ type, ...(await preferencesOf(prisma, ctx.team.id, [ctx.user.id], type))[0] })));
  return { email: emailEnabled(), rows: rows.map((r) => ({ type: r.type, label: EVENT_INFO[r.type].label, description: EVENT_INFO[r.type].description, inApp: r.inApp, email: r.email })) };
}

export async function savePreferences(prisma: Db, ctx: TeamContext, input: Record<string, boolean>) {
  const types = typesFor(ctx);
  await prisma.$transaction(
    types.map((type) => {
      const v = { inApp: input[fieldName("inApp", type)] ?? false, email: input[fieldName("email", type)] ?? false };
      return prisma.notificationPreference.upsert({ where: { userId_teamId_type: { userId: ctx.user.id, teamId: ctx.team.id, type } }, create: { userId: ctx.user.id, teamId: ctx.team.id, type, ...v }, update: v });
    }),
  );
}
