// A team's provider connections: add (key encrypted before it reaches the database), test against
// the provider, rename, replace the key, delete. Nothing here returns or logs a key: every read
// selects the safe columns only (see safeSelect); provider answers are redacted as they arrive
// (lib/net/redacting-fetch.ts) and quoted only through lib/providers/failure.ts.
import "server-only";
import type { Db } from "@/lib/db/client";
import { Prisma } from "@/lib/generated/prisma/client";
import type { TeamContext } from "@/lib/auth/context";
import { can } from "@/lib/auth/roles";
import { audit } from "@/lib/audit";
import { decryptSecret, encryptSecret, last4 } from "@/lib/crypto";
import { NotFoundError, UserError } from "@/lib/errors";
import type { ProbeResult } from "./adapter";
import { adapterFor } from "./adapters";
import { baseUrlProblem } from "@/lib/net/outbound";
import { log } from "@/lib/log";
import { isBuiltInKind, isSandboxTarget, profileOf, profiles, SANDBOX_TARGET, sandboxModeOf } from "./profiles";
import { sandboxKeyForTeam } from "@/lib/providers/sandbox/keys";
import {
  connectionLimitsSchema,
  hasEditableLimits,
  limitsFromForm,
  type ConnectionLimits,
  type EditLimitsInput,
} from "./connections.limits";
import { readConnectionLimits } from "./connections.limits.read";
import { parseQueueLimits, type QueueLimits } from "./queue-limits";
import type { AddConnectionInput, RenameConnectionInput, ReplaceKeyInput } from "./connections.schema";

const safeSelect = {
  id: true,
  kind: true,
  name: true,
  baseUrl: true,
  keyLast4: true,
  keyVersion: true,
  createdAt: true,
  lastTestedAt: true,
  lastTestOk: true,
  lastTestMessage: true,
  limits: true,
  queueLimits: true,
} satisfies Prisma.ProviderConnectionSelect;

type Row = Prisma.ProviderConnectionGetPayload<{ select: typeof safeSelect }>;

export interface ConnectionView extends Omit<Row, "limits" | "queueLimits"> {
  /** The team's own limits (custom connections), checked again as read; null: the profile's. */
  limits: ConnectionLimits | null;
  /** The team's own queue limits (queue-limits.ts), checked again as read; null: the profile's. */
  queueLimits: QueueLimits | null;
  kindLabel: string;
  builtIn: boolean;
  /** What to show for the base URL ("Built in" for the sandbox and its imitations). */
  baseUrlLabel: string;
  /** Runs on the built-in sandbox's imitation of its provider (no key of the team's). */
  imitation: boolean;
}

function view(r: Row): ConnectionView {
  const builtIn = isBuiltInKind(r.kind);
  const imitation = !builtIn && isSandboxTarget(r.baseUrl);
  return {
    ...r,
    limits: profiles[r.kind] ? readConnectionLimits(r) : null,
    queueLimits: profiles[r.kind] ? parseQueueLimits(r.kind, r.queueLimits) : null,
    kindLabel: profiles[r.kind]?.label ?? r.kind,
    builtIn,
    baseUrlLabel: builtIn || r.baseUrl === "builtin" ? "Built in" : imitation ? `Batchboard Sandbox, imitating ${profiles[r.kind]?.label ?? r.kind}` : r.baseUrl,
    imitation,
  };
}

function requireManager(ctx: TeamContext) {
  if (!can.manage(ctx.role)) throw new UserError("Only the team's owners and admins can change provider connections.");
}

/** Kinds a person may add (the sandbox is built in). */
export function addableKinds() {
  return Object.values(profiles)
    .filter((p) => !p.builtIn)
    .map((p) => ({ kind: p.kind, label: p.label, custom: p.custom, baseUrls: p.baseUrls, docsUrl: p.docsUrl, baseUrlHint: p.baseUrlHint }));
}

export async function listConnections(prisma: Db, ctx: TeamContext): Promise<ConnectionView[]> {
  const rows = await prisma.providerConnection.findMany({
    where: { teamId: ctx.team.id },
    select: safeSelect,
    orderBy: { createdAt: "asc" },
  });
  // The sandbox first, then the others in the order they were added.
  return rows.map(view).sort((a, b) => Number(b.builtIn) - Number(a.builtIn));
}

async function findOwn(prisma: Db, ctx: TeamContext, id: string) {
  const c = await prisma.providerConnection.findFirst({ where: { id, teamId: ctx.team.id }, select: safeSelect });
  if (!c) throw new NotFoundError("That connection");
  return c;
}

function refuseBuiltIn(c: Row, what: string) {
  if (isBuiltInKind(c.kind)) throw new UserError(`The built-in Sandbox connection cannot be ${what}.`);
}

function nameTaken(name: string) {
  const msg = `This team already has a connection named "${name}". Choose another name.`;
  return new UserError(msg, { name: msg });
}

function checkBaseUrl(kind: string, baseUrl: string) {
  const p = profiles[kind];
  if (!p || p.builtIn) {
    const msg = "Choose a provider from the list.";
    throw new UserError(msg, { kind: msg });
  }
  const problem = baseUrlProblem(baseUrl);
  if (problem) throw new UserError(problem, { baseUrl: problem });
  // Fixed providers only talk to their own URLs: a typo there would send the key elsewhere.
  if (!p.custom && !p.baseUrls.some((u) => u.url.replace(/\/+$/, "") === baseUrl)) {
    // The custom kind that speaks the same protocol takes any URL.
    const custom = Object.values(profiles).find((x) => x.custom && x.capabilities.protocol === p.capabilities.protocol);
    const msg = `${p.label} uses ${p.baseUrls.map((u) => u.url).join(" or ")}. Choose "${custom?.label ?? "a custom provider"}" for another URL.`;
    throw new UserError(msg, { baseUrl: msg });
  }
}

export async function addConnection(prisma: Db, ctx: TeamContext, input: AddConnectionInput): Promise<ConnectionView> {
  requireManager(ctx);
  let baseUrl: string;
  let apiKey: string;
  if (input.target === "sandbox") {
    // The sandbox imitating this provider, opened by the team's own sandbox key.
    const mode = sandboxModeOf(input.kind);
    if (!profiles[input.kind] || isBuiltInKind(input.kind) || !mode) {
      const msg = "Choose a provider from the list.";
      throw new UserError(msg, { kind: msg });
    }
    baseUrl = `${SANDBOX_TARGET}${mode}`;
    apiKey = sandboxKeyForTeam(ctx.team.id);
  } else {
    checkBaseUrl(input.kind, input.baseUrl);
    baseUrl = input.baseUrl;
    apiKey = input.apiKey;
  }
  try {
    const row = await prisma.providerConnection.create({
      data: {
        teamId: ctx.team.id,
        kind: input.kind,
        name: input.name,
        baseUrl,
        encryptedKey: encryptSecret(apiKey),
        keyLast4: last4(apiKey),
        createdById: ctx.user.id,
      },
      select: safeSelect,
    });
    await audit(prisma, {
      teamId: ctx.team.id,
      actorId: ctx.user.id,
      action: "connection.created",
      targetType: "connection",
      targetId: row.id,
      targetLabel: row.name,
      data: { kind: row.kind, name: row.name, baseUrl: row.baseUrl },
    });
    return view(row);
  } catch (err) {
    if (err instanceof Prisma.PrismaClientKnownRequestError && err.code === "P2002") throw nameTaken(input.name);
    throw err;
  }
}

export async function renameConnection(prisma: Db, ctx: TeamContext, input: RenameConnectionInput): Promise<ConnectionView> {
  requireManager(ctx);
  const c = await findOwn(prisma, ctx, input.connectionId);
  refuseBuiltIn(c, "renamed");
  try {
    const row = await prisma.providerConnection.update({ where: { id: c.id }, data: { name: input.name }, select: safeSelect });
    await audit(prisma, {
      teamId: ctx.team.id,
      actorId: ctx.user.id,
      action: "connection.renamed",
      targetType: "connection",
      targetId: c.id,
      targetLabel: input.name,
      data: { from: c.name, to: input.name },
    });
    return view(row);
  } catch (err) {
    if (err instanceof Prisma.PrismaClientKnownRequestError && err.code === "P2002") throw nameTaken(input.name);
    throw err;
  }
}

export async function replaceKey(prisma: Db, ctx: TeamContext, input: ReplaceKeyInput): Promise<ConnectionView> {
  requireManager(ctx);
  const c = await findOwn(prisma, ctx, input.connectionId);
  refuseBuiltIn(c, "given another key");
  if (isSandboxTarget(c.baseUrl)) throw new UserError("This connection runs on Batchboard's Sandbox imitation, which takes no key of yours.");
  const row = await prisma.providerConnection.update({
    where: { id: c.id },
    data: {
      encryptedKey: encryptSecret(input.apiKey),
      keyLast4: last4(input.apiKey),
      keyVersion: { increment: 1 },
      // The old test result says nothing about the new key.
      lastTestedAt: null,
      lastTestOk: null,
      lastTestMessage: null,
    },
    select: safeSelect,
  });
  await audit(prisma, {
    teamId: ctx.team.id,
    actorId: ctx.user.id,
    action: "connection.key_replaced",
    targetType: "connection",
    targetId: c.id,
    targetLabel: c.name,
    data: { keyVersion: row.keyVersion },
  });
  return view(row);
}

export async function deleteConnection(prisma: Db, ctx: TeamContext, connectionId: string) {
  requireManager(ctx);
  const c = await findOwn(prisma, ctx, connectionId);
  refuseBuiltIn(c, "deleted");
  const used = await prisma.batch.count({ where: { connectionId: c.id } });
  if (used > 0) {
    throw new UserError(
      `"${c.name}" is used by ${used} ${used === 1 ? "batch" : "batches"}, so it cannot be deleted: their history and results need it. ` +
        "Replace its key instead if it changed.",
    );
  }
  await prisma.providerConnection.delete({ where: { id: c.id } });
  await audit(prisma, {
    teamId: ctx.team.id,
    actorId: ctx.user.id,
    action: "connection.deleted",
    targetType: "connection",
    targetId: c.id,
    targetLabel: c.name,
    data: { kind: c.kind, name: c.name },
  });
}

/**
 * Sets (or, with null, resets) a custom connection's limits. Validated here, whatever the form
 * did: the stored value is what upload and launch will trust.
 */
export async function setConnectionLimits(prisma: Db, ctx: TeamContext, input: { connectionId: string; limits: ConnectionLimits | null }): Promise<ConnectionView> {
  requireManager(ctx);
  const c = await findOwn(prisma, ctx, input.connectionId);
  if (!profiles[c.kind] || !hasEditableLimits(c.kind)) {
    throw new UserError(`${profiles[c.kind]?.label ?? c.kind} connections keep the provider's own limits; only Custom OpenAI-compatible connections take limits of their own.`);
  }
  let limits: ConnectionLimits | null = null;
  if (input.limits && Object.keys(input.limits).length) {
    const r = connectionLimitsSchema(c.kind).safeParse(input.limits);
    if (!r.success) {
      const fields: Record<string, string> = {};
      for (const i of r.error.issues) fields[String(i.path[0] ?? "_")] ??= i.message;
      throw new UserError(r.error.issues[0].message, fields);
    }
    limits = r.data;
  }
  const row = await prisma.providerConnection.update({
    where: { id: c.id },
    data: { limits: limits ? (limits as Prisma.InputJsonValue) : Prisma.DbNull },
    select: safeSelect,
  });
  await audit(prisma, {
    teamId: ctx.team.id,
    actorId: ctx.user.id,
    action: limits ? "connection.limits_set" : "connection.limits_reset",
    targetType: "connection",
    targetId: c.id,
    targetLabel: c.name,
    data: { limits: (limits ?? {}) as Prisma.InputJsonValue },
  });
  return view(row);
}

/** The edit form's values (MB, blanks for defaults) checked and stored; `reset` clears them all. */
export async function editConnectionLimits(prisma: Db, ctx: TeamContext, input: EditLimitsInput & { reset?: boolean }): Promise<ConnectionView> {
  requireManager(ctx);
  const c = await findOwn(prisma, ctx, input.connectionId);
  if (input.reset || !hasEditableLimits(c.kind)) return setConnectionLimits(prisma, ctx, { connectionId: c.id, limits: null });
  const { limits, fieldErrors } = limitsFromForm(c.kind, input);
  if (fieldErrors) {
    const n = Object.keys(fieldErrors).length;
    throw new UserError(n === 1 ? Object.values(fieldErrors)[0] : `${n} limits need fixing: ${Object.values(fieldErrors).join(" ")}`, fieldErrors);
  }
  return setConnectionLimits(prisma, ctx, { connectionId: c.id, limits: limits ?? null });
}

// ---------------------------------------------------------------------------------------------
// Testing a connection

export type { ProbeOutcome, ProbeResult } from "./adapter";

const TIMEOUT_MS = 10_000;

/** Calls the provider with the key and says in plain words what happened (its protocol's adapter does). */
export async function probeProvider(kind: string, baseUrl: string, apiKey: string, timeoutMs = TIMEOUT_MS): Promise<ProbeResult> {
  return adapterFor(kind).probe({ kind, baseUrl, apiKey, profile: profileOf(kind) }, timeoutMs);
}

/** Tests a connection of the team and stores the outcome on it. */
export async function testConnection(prisma: Db, ctx: TeamContext, connectionId: string): Promise<ProbeResult & { connection: ConnectionView }> {
  requireManager(ctx);
  const c = await prisma.providerConnection.findFirst({
    where: { id: connectionId, teamId: ctx.team.id },
    select: { id: true, name: true, kind: true, baseUrl: true, encryptedKey: true },
  });
  if (!c) throw new NotFoundError("That connection");
  let apiKey: string | undefined;
  try {
    apiKey = decryptSecret(c.encryptedKey);
  } catch (err) {
    // Decrypting fails when ENCRYPTION_KEY changed since the key was saved.
    log.error("connection.key_unreadable", { connectionId: c.id, err });
  }
  const result: ProbeResult = apiKey
    ? await probeProvider(c.kind, c.baseUrl, apiKey)
    : { ok: false, outcome: "http", message: "The stored key could not be read (was ENCRYPTION_KEY changed?). Replace the key." };
  const row = await prisma.providerConnection.update({
    where: { id: c.id },
    data: { lastTestedAt: new Date(), lastTestOk: result.ok, lastTestMessage: result.message },
    select: safeSelect,
  });
  await audit(prisma, {
    teamId: ctx.team.id,
    actorId: ctx.user.id,
    action: "connection.tested",
    targetType: "connection",
    targetId: c.id,
    targetLabel: c.name,
    data: { ok: result.ok, outcome: result.outcome },
  });
  return { ...result, connection: view(row) };
}
