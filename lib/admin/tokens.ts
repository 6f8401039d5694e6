// `npm run admin -- token create --email E --name N [--connection NAME] [--team NAME]`: an API token
// for a member, made without a browser (set-up scripts, tests). The token does what the member's
// role allows, never expires, runs by default on the named connection (else the team's Sandbox),
// and is written down in the audit log like one made on the tokens page.
import "server-only";
import type { Db } from "@/lib/db/client";
import { createToken } from "@/lib/api/tokens";

export interface TokenCreateOptions {
  email: string;
  name: string;
  connection?: string;
  team?: string;
}

/** Makes the token in `prisma`; answers the lines to print, the token alone on the last. */
export async function createTokenFor(prisma: Db, o: Partial<TokenCreateOptions>): Promise<string[]> {
  if (!o.email || !o.name) throw new Error("--email and --name are required: npm run admin -- token create --email E --name N [--connection NAME] [--team NAME]");
  const user = await prisma.user.findUnique({ where: { email: o.email.trim().toLowerCase() }, select: { id: true } });
  if (!user) throw new Error(`No user with the email ${o.email}.`);
  const memberships = await prisma.membership.findMany({ where: { userId: user.id }, include: { team: { select: { id: true, name: true } } }, orderBy: { createdAt: "asc" } });
  const m = o.team ? memberships.find((x) => x.team.name === o.team) : memberships[0];
  if (!m) throw new Error(o.team ? `${o.email} is not a member of a team named ${JSON.stringify(o.team)}.` : `${o.email} is in no team.`);
  let defaultConnectionId: string | undefined;
  if (o.connection) {
    const c = await prisma.providerConnection.findFirst({ where: { teamId: m.team.id, name: o.connection }, select: { id: true } });
    if (!c) throw new Error(`The team ${JSON.stringify(m.team.name)} has no connection named ${JSON.stringify(o.connection)}.`);
    defaultConnectionId = c.id;
  }
  const t = await createToken(prisma, { user: { id: user.id }, team: { id: m.team.id }, role: m.role }, { name: o.name, scope: "role", days: 0, allowedConnectionIds: [], defaultConnectionId });
  return [`Token "${t.name}" for ${o.email} in team "${m.team.name}" (${m.role.toLowerCase()}), default connection: ${o.connection ?? "the team's Sandbox"}. It is shown once:`, t.secret];
}
