// Personal API tokens of team members: made (the secret shown once), listed, revoked, and checked on
// every API request. The secret is "bb_" and 32 random bytes in base64url; only its sha-256 is
// stored, with its first characters to tell tokens apart. What a token may do is the lower of its
// scope and its owner's CURRENT role in the team: a changed role changes the token, and the token
// of someone who left the team opens nothing.
import "server-only";
import crypto from "node:crypto";
import { audit } from "@/lib/audit";
import { atLeast, can } from "@/lib/auth/roles";
import { apiRequest, countAttempt } from "@/lib/auth/rate-limits";
import { sha256 } from "@/lib/crypto";
import type { Db } from "@/lib/db/client";
import { NotFoundError, UserError } from "@/lib/errors";
import type { Role } from "@/lib/generated/prisma/enums";
import type { CreateTokenInput } from "./tokens.schema";

export const TOKEN_PREFIX = "bb_";
const VISIBLE = 8;

/** Who makes or manages tokens: the part of a team context the functions here need. */
export interface TokenActor {
  user: { id: string };
  team: { id: string };
  role: Role;
}

export function newSecret(): string {
  return TOKEN_PREFIX + crypto.randomBytes(32).toString("base64url");
}

async function checkConnections(prisma: Db, teamId: string, ids: string[]) {
  if (ids.length === 0) return;
  const found = await prisma.providerConnection.count({ where: { teamId, id: { in: ids } } });
  if (found !== new Set(ids).size) throw new UserError("A chosen connection was not found in this team.", { allowedConnectionIds: "Choose connections of this team." });
}

/** Makes a token for the actor in their current team; the secret is in the answer and nowhere else. */
export async function createToken(prisma: Db, actor: TokenActor, input: CreateTokenInput) {
  const allowed = [...new Set(input.allowedConnectionIds)];
  await checkConnections(prisma, actor.team.id, [...allowed, ...(input.defaultConnectionId ? [input.defaultConnectionId] : [])]);
  if (input.defaultConnectionId && allowed.length > 0 && !allowed.includes(input.defaultConnectionId)) {
    throw new UserError("The default connection must be one the token may use.", { defaultConnectionId: "Choose one of the allowed connections." });
  }
  const secret = newSecret();
  const token = await prisma.apiToken.create({
    data: {
      teamId: actor.team.id,
      userId: actor.user.id,
      name: input.name,
      tokenHash: sha256(secret),
      prefix: secret.slice(0, VISIBLE),
      scope: input.scope,
      expiresAt: input.days > 0 ? new Date(Date.now() + input.days * 86_400_000) : null,
      spendCapUsd: input.spendCapUsd ?? null,
      allowedConnectionIds: allowed,
      defaultConnectionId: input.defaultConnectionId ?? null,
    },
    select: { id: true, name: true, prefix: true, expiresAt: true },
  });
  await audit(prisma, {
    teamId: actor.team.id,
    actorId: actor.user.id,
    action: "token.created",
    targetType: "token",
    targetId: token.id,
    data: { name: token.name, scope: input.scope, prefix: token.prefix, ...(input.spendCapUsd ? { spendCapUsd: input.spendCapUsd } : {}) },
  });
  return { ...token, secret };
}

export interface TokenRow {
  id: string;
  name: string;
  prefix: string;
  scope: string;
  owner: { id: string; name: string; email: string };
  mine: boolean;
  createdAt: string;
  expiresAt: string | null;
  lastUsedAt: string | null;
  lastUsedIp: string | null;
  revokedAt: string | null;
  spendCapUsd: number | null;
  connections: string[];
  defaultConnection: string | null;
  batches: number;
}

const iso = (d: Date | null) => (d ? d.toISOString() : null);

/** The actor's own tokens; an admin sees every token of the team. Newest first. */
export async function listTokens(prisma: Db, actor: TokenActor): Promise<TokenRow[]> {
  const rows = await prisma.apiToken.findMany({
    where: { teamId: actor.team.id, ...(can.manage(actor.role) ? {} : { userId: actor.user.id }) },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    include: { user: { select: { id: true, name: true, email: true } }, _count: { select: { batches: true } } },
  });
  const conns = await prisma.providerConnection.findMany({ where: { teamId: actor.team.id }, select: { id: true, name: true } });
  const nameOf = new Map(conns.map((c) => [c.id, c.name]));
  return rows.map((t) => ({
    id: t.id,
    name: t.name,
    prefix: t.prefix,
    scope: t.scope,
    owner: t.user,
    mine: t.userId === actor.user.id,
    createdAt: t.createdAt.toISOString(),
    expiresAt: iso(t.expiresAt),
    lastUsedAt: iso(t.lastUsedAt),
    lastUsedIp: t.lastUsedIp,
    revokedAt: iso(t.revokedAt),
    spendCapUsd: t.spendCapUsd,
    connections: t.allowedConnectionIds.map((id) => nameOf.get(id) ?? "(deleted connection)"),
    defaultConnection: t.defaultConnectionId ? (nameOf.get(t.defaultConnectionId) ?? "(deleted connection)") : null,
    batches: t._count.batches,
  }));
}

/** Revokes a token: its owner may, and the team's admins. Another team's token, or another member's for a non-admin, is "not found". */
export async function revokeToken(prisma: Db, actor: TokenActor, tokenId: string) {
  const t = await prisma.apiToken.findFirst({
    where: { id: tokenId, teamId: actor.team.id, ...(can.manage(actor.role) ? {} : { userId: actor.user.id }) },
    select: { id: true, name: true, revokedAt: true },
  });
  if (!t) throw new NotFoundError("That token");
  if (t.revokedAt) return { id: t.id };
  await prisma.apiToken.update({ where: { id: t.id }, data: { revokedAt: new Date(), revokedById: actor.user.id } });
  await audit(prisma, { teamId: actor.team.id, actorId: actor.user.id, action: "token.revoked", targetType: "token", targetId: t.id, data: { name: t.name } });
  return { id: t.id };
}

// ------------------------------------------------------------------------------ authentication

/** A token-authenticated caller: what the API's handlers act as. */
export interface ApiCaller {
  token: { id: string; name: string };
  user: { id: string };
  team: { id: string };
  /** The lower of the token's scope and the member's current role. */
  role: Role;
  spendCapUsd: number | null;
  allowedConnectionIds: string[];
  defaultConnectionId: string | null;
}

/** Why a request's token opens nothing, with the status to answer (401, or 429 with Retry-After). */
export class ApiAuthError extends UserError {
  constructor(
    readonly status: number,
    message: string,
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
    this.name = "ApiAuthError";
  }
}

/** The secret a request carries: `Authorization: Bearer <token>` (OpenAI's SDKs, curl) or `x-api-key` (Anthropic's SDK). */
export function secretOf(headers: Headers): string | null {
  const auth = headers.get("authorization");
  const m = auth ? /^Bearer\s+(\S+)\s*$/i.exec(auth) : null;
  return m?.[1] ?? headers.get("x-api-key")?.trim() ?? null;
}

/** The lower of two roles. */
function lower(a: Role, b: Role): Role {
  return atLeast(a, b) ? b : a;
}

/**
 * Checks the request's token and counts the request against the token's rate limit; records when
 * and from where it was last used. Throws ApiAuthError for a missing, unknown, revoked or expired
 * token, a member who left, or a used-up limit.
 */
export async function authenticate(prisma: Db, headers: Headers, ip: string): Promise<ApiCaller> {
  const secret = secretOf(headers);
  if (!secret) throw new ApiAuthError(401, "No API key was sent: send a Batchboard token as 'Authorization: Bearer bb_...' or 'x-api-key: bb_...' (make one under Settings > API tokens).");
  const t = secret.startsWith(TOKEN_PREFIX) && secret.length < 200 ? await prisma.apiToken.findUnique({ where: { tokenHash: sha256(secret) } }) : null;
  if (!t) throw new ApiAuthError(401, "This API key is not a valid Batchboard token.");
  if (t.revokedAt) throw new ApiAuthError(401, `The API token "${t.name}" was revoked.`);
  if (t.expiresAt && t.expiresAt.getTime() <= Date.now()) throw new ApiAuthError(401, `The API token "${t.name}" expired on ${t.expiresAt.toISOString().slice(0, 10)}.`);
  const m = await prisma.membership.findUnique({ where: { userId_teamId: { userId: t.userId, teamId: t.teamId } }, select: { role: true } });
  if (!m) throw new ApiAuthError(401, `The API token "${t.name}" belongs to someone who is no longer a member of its team.`);
  try {
    await countAttempt(prisma, apiRequest(t.id));
  } catch (err) {
    const wait = (err as { retryAfterSeconds?: number }).retryAfterSeconds;
    if (wait !== undefined) throw new ApiAuthError(429, `Rate limit reached for this token. Try again in ${wait} second${wait === 1 ? "" : "s"}.`, wait);
    throw err;
  }
  await prisma.apiToken.update({ where: { id: t.id }, data: { lastUsedAt: new Date(), lastUsedIp: ip } });
  return {
    token: { id: t.id, name: t.name },
    user: { id: t.userId },
    team: { id: t.teamId },
    role: t.scope === "read" ? "VIEWER" : lower(m.role, "OWNER"),
    spendCapUsd: t.spendCapUsd,
    allowedConnectionIds: t.allowedConnectionIds,
    defaultConnectionId: t.defaultConnectionId,
  };
}
