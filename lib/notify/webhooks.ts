// A team's webhooks (admins): add one (URL and secret encrypted at rest, the Standard Webhooks
// secret shown once), enable or disable, delete, send a test event now, and read the delivery log.
// Every call is scoped to the caller's team: another team's webhook is "not found".
import "server-only";
import crypto from "node:crypto";
import type { Db } from "@/lib/db/client";
import type { TeamContext } from "@/lib/auth/context";
import { audit } from "@/lib/audit";
import { encryptSecret } from "@/lib/crypto";
import { NotFoundError, UserError } from "@/lib/errors";
import { baseUrlProblem } from "@/lib/net/outbound";
import { workerOwner } from "@/lib/server/tick-loop";
import { deliverOne } from "./delivery";
import { TEST_EVENT } from "./events";
import { FORMAT_INFO, newStandardSecret, urlHint, webhookUrlSyntaxProblem } from "./formats";
import type { AddWebhookInput } from "./webhooks.schema";

const MAX_WEBHOOKS = 20;

export async function addWebhook(prisma: Db, ctx: TeamContext, input: AddWebhookInput): Promise<{ id: string; secret: string | null }> {
  const syntax = webhookUrlSyntaxProblem(input.url);
  if (syntax) throw new UserError(syntax, { url: syntax });
  // The host is judged like a provider's base URL (no internal IP literal, no localhost unless an
  // operator allowed it); the address it resolves to is checked again at every send.
  const u = new URL(input.url);
  const hostProblem = baseUrlProblem(`${u.protocol}//${u.host}`);
  if (hostProblem) throw new UserError(hostProblem, { url: hostProblem });
  const info = FORMAT_INFO[input.format];
  if (info.secret === "none" && input.secret) throw new UserError(`${info.label} webhooks take no signing secret: the URL is the secret.`, { secret: "Leave it empty for this format." });
  if ((await prisma.webhook.count({ where: { teamId: ctx.team.id } })) >= MAX_WEBHOOKS) throw new UserError(`A team can have at most ${MAX_WEBHOOKS} webhooks.`);
  const secret = info.secret === "generated" ? newStandardSecret() : (input.secret ?? null);
  const w = await prisma.webhook.create({
    data: {
      teamId: ctx.team.id,
      name: input.name,
      encryptedUrl: encryptSecret(input.url),
      urlHint: urlHint(input.url),
      format: input.format,
      events: input.events,
      encryptedSecret: secret ? encryptSecret(secret) : null,
      createdById: ctx.user.id,
    },
    select: { id: true },
  });
  await audit(prisma, { teamId: ctx.team.id, actorId: ctx.user.id, action: "webhook.added", targetType: "webhook", targetId: w.id, targetLabel: input.name, data: { name: input.name, format: input.format, events: input.events } });
  // Only a generated secret is shown (once): one the user pasted is theirs already.
  return { id: w.id, secret: info.secret === "generated" ? secret : null };
}

async function own(prisma: Db, ctx: TeamContext, webhookId: string) {
  const w = await prisma.webhook.findFirst({ where: { id: webhookId, teamId: ctx.team.id } });
  if (!w) throw new NotFoundError("That webhook");
  return w;
}

export async function setWebhookEnabled(prisma: Db, ctx: TeamContext, webhookId: string, enabled: boolean) {
  const w = await own(prisma, ctx, webhookId);
  await prisma.webhook.update({
    where: { id: webhookId },
    data: enabled ? { enabled: true, disabledAt: null, disabledReason: null, failingSince: null, consecutiveFailures: 0 } : { enabled: false, disabledAt: new Date(), disabledReason: "Disabled by an admin." },
  });
  await audit(prisma, { teamId: ctx.team.id, actorId: ctx.user.id, action: enabled ? "webhook.enabled" : "webhook.disabled", targetType: "webhook", targetId: webhookId, targetLabel: w.name });
}

export async function deleteWebhook(prisma: Db, ctx: TeamContext, webhookId: string) {
  const w = await own(prisma, ctx, webhookId);
  await prisma.webhook.delete({ where: { id: w.id } });
  await audit(prisma, { teamId: ctx.team.id, actorId: ctx.user.id, action: "webhook.deleted", targetType: "webhook", targetId: w.id, targetLabel: w.name });
}

/**
 * Sends a test event to one webhook now, through the same outbox and the same path as any
 * delivery (a failed test is retried like the rest), and answers how the first attempt went.
 */
export async function sendTestEvent(prisma: Db, ctx: TeamContext, webhookId: string): Promise<{ ok: boolean; message: string }> {
  const w = await own(prisma, ctx, webhookId);
  const owner = `test:${workerOwner()}`;
  const id = await prisma.$transaction(async (tx) => {
    const event = await tx.notificationEvent.create({
      data: {
        teamId: ctx.team.id,
        type: TEST_EVENT,
        key: `test:${crypto.randomUUID()}`,
        title: "Test event from Batchboard",
        body: `${ctx.user.name} sent this test to the webhook "${w.name}".`,
        link: "/team/webhooks",
        data: { webhookId: w.id, test: true },
      },
    });
    const d = await tx.delivery.create({
      data: { teamId: ctx.team.id, eventId: event.id, channel: "webhook", target: `webhook:${w.id}`, webhookId: w.id, leaseOwner: owner, leaseUntil: new Date(Date.now() + 120_000) },
    });
    return d.id;
  });
  await audit(prisma, { teamId: ctx.team.id, actorId: ctx.user.id, action: "webhook.test_sent", targetType: "webhook", targetId: w.id, targetLabel: w.name });
  const outcome = await deliverOne(prisma, id, owner);
  const d = await prisma.delivery.findUniqueOrThrow({ where: { id }, select: { lastError: true } });
  if (outcome === "delivered") return { ok: true, message: "Delivered: the receiver answered with success." };
  // The reason may end a sentence of its own ("… with ALLOWED_PRIVATE_HOSTS."): one full stop, not two.
  return { ok: false, message: `Not delivered: ${(d.lastError ?? outcome).replace(/\.$/, "")}. It will be retried like any delivery.` };
}

/** The team's webhooks with their latest deliveries and each one's attempts (the delivery log). */
export async function listWebhooks(prisma: Db, teamId: string) {
  return prisma.webhook.findMany({
    where: { teamId },
    orderBy: { createdAt: "asc" },
    include: {
      deliveries: {
        orderBy: { createdAt: "desc" },
        take: 10,
        include: { event: { select: { type: true, title: true } }, log: { orderBy: { at: "asc" } } },
      },
    },
  });
}
export type WebhookView = Awaited<ReturnType<typeof listWebhooks>>[number];
