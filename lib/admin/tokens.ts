// `npm run admin -- token create --email E --name N [--connection NAME] [--team NAME]`: an API token
// for a member, made without a browser (set-up scripts, tests). The token does what the member's
// role allows, never expires, runs by default on the named connection (else the team's Sandbox),
// and is written down in the audit log like one made on the tokens page.
import "server-only";
import path from "node:path";
import { openDatabase, type Db } from "@/lib/db/client";
import { env } from "@/lib/env";
import { createToken } from "@/lib/api/tokens";

export interface TokenCreateOptions {
  email: string;
  name: string;
  connection?: string;
  team?: string;
}

/** Reads `--email E --name N --connection C --team T` (each once); throws with the usage for anything else. */
export function tokenCreateOptions(args: string[]): TokenCreateOptions {
  const usage = "usage: npm run admin -- token create --email E --name N [--connection NAME] [--team NAME]";
  const out: Record<string, string> = {};
  for (let i = 0; i < args.length; i += 2) {
    const flag = /^--(email|name|connection|team)$/.exec(args[i] ?? "")?.[1];
    const value = args[i + 1];
    if (!flag || value === undefined || value.startsWith("--") || out[flag] !== undefined) throw new Error(`${args[i] ? `Unexpected ${JSON.stringify(args[i])}. ` : ""}${usage}`);
    out[flag] = value;
  }
  if (!out.email || !out.name) throw new Error(`--email and --name are required. ${usage}`);
  return out as unknown as TokenCreateOptions;
}

/** Makes the token in `prisma`; answers the lines to print, the token alone on the last. */
export async function createTokenFor(prisma: Db, o: TokenCreateOptions): Promise<string[]> {
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

/** The command: opens the server's database (the embedded one must not be in use), makes the token, closes. */
export async function tokenCreateCommand(args: string[]): Promise<string> {
  const o = tokenCreateOptions(args);
  const e = env();
  const h = await openDatabase(e.DATABASE_URL ? { url: e.DATABASE_URL } : { dataDir: path.join(e.DATA_DIR, "pglite") });
  try {
    return (await createTokenFor(h.prisma, o)).join("\n");
  } finally {
    await h.close();
  }
}
