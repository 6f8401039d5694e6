// Webhooks end to end over real HTTP: node http servers stand in for each receiver and check what
// arrives as the receiver would, with implementations we did not write (the standardwebhooks
// package) or written here from each bot's documentation with WebCrypto (not node:crypto's HMAC
// that formats.ts uses). Deliveries go through the outbox, the delivery worker and the outbound
// guard: receivers listen on 127.0.0.2, which ALLOWED_PRIVATE_HOSTS lets through; 127.0.0.1 stays refused.
import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Webhook as StandardWebhook } from "standardwebhooks";
import type { DbHandle } from "@/lib/db/client";
import { resetEnvForTests } from "@/lib/env";
import { createTestDb } from "@/lib/test/db";
import { addMember, ctxOf, makeUser, useTempDataDir } from "@/lib/teams/fixtures";
import { startDeliveryWorker } from "./delivery";
import { batchEndedEvent } from "./events";
import { notify } from "./notify";
import { addWebhook, sendTestEvent, setWebhookEnabled } from "./webhooks";

interface Received {
  url: string;
  headers: http.IncomingHttpHeaders;
  body: string;
}

/** A receiver on 127.0.0.2: records each request and answers with `answer(n)` (n counts from 1). */
async function receiver(answer: (n: number, r: Received) => { status: number; body?: string } = () => ({ status: 200, body: "{}" }), host = "127.0.0.2") {
  const got: Received[] = [];
  const server = http.createServer((req, res) => {
    let body = "";
    req.on("data", (c) => (body += c));
    req.on("end", () => {
      const r = { url: req.url ?? "", headers: req.headers, body };
      got.push(r);
      const a = answer(got.length, r);
      res.writeHead(a.status, { "content-type": "application/json" }).end(a.body ?? "");
    });
  });
  await new Promise<void>((ok) => server.listen(0, host, ok));
  const port = (server.address() as AddressInfo).port;
  return { got, url: `http://${host}:${port}`, close: () => new Promise<void>((ok) => server.close(() => ok())) };
}

const subtle = globalThis.crypto.subtle;
async function hmacBase64(key: string, message: string) {
  const k = await subtle.importKey("raw", new TextEncoder().encode(key), { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
  return Buffer.from(await subtle.sign("HMAC", k, new TextEncoder().encode(message))).toString("base64");
}

let h: DbHandle;
const closers: (() => Promise<void>)[] = [];
beforeAll(async () => {
  useTempDataDir();
  process.env.ALLOWED_PRIVATE_HOSTS = "127.0.0.2";
  process.env.PUBLIC_URL = "https://bb.example.com";
  delete process.env.SMTP_HOST;
  resetEnvForTests();
  h = await createTestDb();
});
afterAll(async () => {
  for (const c of closers) await c();
  await h?.close();
});

async function team() {
  const owner = await makeUser(h.prisma, "Owner");
  return { ctx: await ctxOf(h.prisma, owner.user.id, owner.team.id), teamId: owner.team.id, owner };
}

const ended = (id: string, status: "COMPLETED" | "FAILED" = "COMPLETED") => batchEndedEvent({ id, name: `batch ${id}`, status, total: 10, completed: 9, failed: 1, connectionName: "Sandbox" });

async function drain(worker: { runOnce(): Promise<number> }) {
  while ((await worker.runOnce()) > 0);
}

describe("webhooks over real HTTP", () => {
  it("delivers a Standard Webhooks message that the standardwebhooks package verifies, once per event", async () => {
    const t = await team();
    const r = await receiver();
    closers.push(r.close);
    const { id, secret } = await addWebhook(h.prisma, t.ctx, { name: "ours", url: `${r.url}/hooks/bb`, format: "standard", events: ["batch.completed", "batch.failed"] });
    expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    await notify(t.teamId, ended("b1"), { prisma: h.prisma });
    await notify(t.teamId, ended("b1"), { prisma: h.prisma }); // the same occurrence again: nothing more
    await notify(t.teamId, { ...ended("b2"), type: "batch.cancelled" }, { prisma: h.prisma }); // not subscribed
    const worker = startDeliveryWorker({ prisma: h.prisma, manual: true });
    await drain(worker);
    expect(r.got).toHaveLength(1);
    const msg = r.got[0];
    expect(msg.url).toBe("/hooks/bb");
    const verified = new StandardWebhook(secret!).verify(msg.body, msg.headers as Record<string, string>) as { type: string; data: Record<string, unknown> };
    expect(verified.type).toBe("batch.completed");
    expect(verified.data).toMatchObject({ batchId: "b1", completed: 9, failed: 1, link: "https://bb.example.com/batches/b1" });
    // A tampered body fails verification: the signature covers it.
    expect(() => new StandardWebhook(secret!).verify(msg.body.replace("b1", "b9"), msg.headers as Record<string, string>)).toThrow();
    const d = await h.prisma.delivery.findFirstOrThrow({ where: { webhookId: id }, include: { log: true } });
    expect(msg.headers["webhook-id"]).toBe(d.id);
    expect(d).toMatchObject({ status: "delivered", attempts: 1 });
    expect(d.log).toMatchObject([{ ok: true, statusCode: 200, error: null }]);
  });

  it("signs Feishu/Lark and DingTalk messages as their documents say, and sends Slack and WeCom theirs", async () => {
    const t = await team();
    const feishu = await receiver(() => ({ status: 200, body: '{"code":0,"msg":"success"}' }));
    const ding = await receiver(() => ({ status: 200, body: '{"errcode":0,"errmsg":"ok"}' }));
    const slack = await receiver(() => ({ status: 200, body: "ok" }));
    const wecom = await receiver(() => ({ status: 200, body: '{"errcode":0,"errmsg":"ok"}' }));
    closers.push(feishu.close, ding.close, slack.close, wecom.close);
    const events = ["batch.failed"];
    await addWebhook(h.prisma, t.ctx, { name: "feishu", url: `${feishu.url}/open-apis/bot/v2/hook/abc`, format: "feishu", events, secret: "feishu-secret-1" });
    await addWebhook(h.prisma, t.ctx, { name: "ding", url: `${ding.url}/robot/send?access_token=tok123`, format: "dingtalk", events, secret: "SECding-secret" });
    await addWebhook(h.prisma, t.ctx, { name: "slack", url: `${slack.url}/services/T/B/x`, format: "slack", events });
    await addWebhook(h.prisma, t.ctx, { name: "wecom", url: `${wecom.url}/cgi-bin/webhook/send?key=k1`, format: "wecom", events });
    await notify(t.teamId, ended("b3", "FAILED"), { prisma: h.prisma });
    await drain(startDeliveryWorker({ prisma: h.prisma, manual: true }));

    // Feishu: sign = base64(HMAC-SHA256 with key "timestamp\nsecret" over an empty message).
    const f = JSON.parse(feishu.got[0].body);
    expect(Math.abs(Number(f.timestamp) - Date.now() / 1000)).toBeLessThan(60);
    expect(f.sign).toBe(await hmacBase64(`${f.timestamp}\nfeishu-secret-1`, ""));
    expect(f.msg_type).toBe("text");
    expect(f.content.text).toContain('Batch "batch b3" failed');

    // DingTalk: timestamp (ms) and sign in the query; sign = urlencode(base64(HMAC-SHA256 keyed with the secret over "timestamp\nsecret")).
    const q = new URL(ding.got[0].url, "http://x").searchParams;
    expect(q.get("access_token")).toBe("tok123");
    expect(ding.got[0].url).toMatch(/&sign=[^&]*%[0-9A-F]{2}|&sign=[A-Za-z0-9%]+$/);
    expect(q.get("sign")).toBe(await hmacBase64("SECding-secret", `${q.get("timestamp")}\nSECding-secret`));
    expect(JSON.parse(ding.got[0].body)).toMatchObject({ msgtype: "text", text: { content: expect.stringContaining("9 of 10 requests succeeded") } });

    expect(JSON.parse(slack.got[0].body).text).toMatch(/^\*Batch "batch b3" failed\*\n.*\n<https:\/\/bb\.example\.com\/batches\/b3\|Open in Batchboard>$/s);
    expect(new URL(wecom.got[0].url, "http://x").searchParams.get("key")).toBe("k1");
    expect(JSON.parse(wecom.got[0].body)).toMatchObject({ msgtype: "text", text: { content: expect.stringContaining("https://bb.example.com/batches/b3") } });
    const statuses = await h.prisma.delivery.findMany({ where: { teamId: t.teamId }, select: { status: true } });
    expect(statuses.map((s) => s.status)).toEqual(["delivered", "delivered", "delivered", "delivered"]);
  });

  it("counts a chat bot's 200 with an error code as a failure, and retries on the schedule until it is taken", async () => {
    const t = await team();
    // A bad signature at first (Feishu answers 200 with code 19021), then a 500, then success.
    const r = await receiver((n) => (n === 1 ? { status: 200, body: '{"code":19021,"msg":"sign match fail or timestamp is not within one hour from current time"}' } : n === 2 ? { status: 500, body: "oops" } : { status: 200, body: '{"code":0}' }));
    closers.push(r.close);
    const { id } = await addWebhook(h.prisma, t.ctx, { name: "flaky", url: `${r.url}/hook`, format: "feishu", events: ["batch.completed"] });
    await notify(t.teamId, ended("b4"), { prisma: h.prisma });
    const worker = startDeliveryWorker({ prisma: h.prisma, manual: true, schedule: [300, 300, 300] });
    expect(await worker.runOnce()).toBe(1);
    let d = await h.prisma.delivery.findFirstOrThrow({ where: { webhookId: id } });
    expect(d).toMatchObject({ status: "pending", attempts: 1 });
    expect(d.lastError).toContain("code 19021");
    expect(d.nextAttemptAt!.getTime()).toBeGreaterThan(Date.now() - 1000);
    for (let i = 0; i < 40 && d.status === "pending"; i++) {
      await new Promise((ok) => setTimeout(ok, 100));
      await drain(worker);
      d = await h.prisma.delivery.findFirstOrThrow({ where: { webhookId: id } });
    }
    const log = await h.prisma.deliveryAttempt.findMany({ where: { deliveryId: d.id }, orderBy: { at: "asc" } });
    expect(log.map((a) => [a.ok, a.statusCode])).toEqual([[false, 200], [false, 500], [true, 200]]);
    expect(log[1].error).toBe("HTTP 500: oops");
    expect(d).toMatchObject({ status: "delivered", attempts: 3 });
    expect(r.got.map((g) => JSON.parse(g.body).content.text)).toEqual(Array(3).fill(expect.stringContaining("batch b4")));
    const w = await h.prisma.webhook.findUniqueOrThrow({ where: { id } });
    expect(w).toMatchObject({ enabled: true, consecutiveFailures: 0, failingSince: null });
  });

  it("never sends one delivery twice when two instances work the outbox at once", async () => {
    const t = await team();
    const r = await receiver(() => ({ status: 200, body: "{}" }));
    closers.push(r.close);
    await addWebhook(h.prisma, t.ctx, { name: "busy", url: `${r.url}/hook`, format: "standard", events: ["batch.completed"] });
    for (let i = 0; i < 24; i++) await notify(t.teamId, ended(`many-${i}`), { prisma: h.prisma });
    const a = startDeliveryWorker({ prisma: h.prisma, manual: true, concurrency: 5 });
    const b = startDeliveryWorker({ prisma: h.prisma, manual: true, concurrency: 5 });
    for (let i = 0; i < 10; i++) await Promise.all([a.runOnce(), b.runOnce()]);
    const ids = r.got.map((g) => g.headers["webhook-id"]);
    expect(ids).toHaveLength(24);
    expect(new Set(ids).size).toBe(24);
  });

  it("refuses a private address through the outbound guard, as for providers", async () => {
    const t = await team();
    const local = await receiver(() => ({ status: 200 }), "127.0.0.1");
    closers.push(local.close);
    await expect(addWebhook(h.prisma, t.ctx, { name: "meta", url: "http://169.254.169.254/latest", format: "slack", events: ["batch.completed"] })).rejects.toThrow(/private, loopback or otherwise internal/);
    // One stored while an operator allowed 127.0.0.1, sent after they took it back: refused where
    // the socket is made (as a host name resolving to loopback would be).
    const { id } = await addWebhookAllowing(t.ctx, `${local.url}/x`);
    const res = await sendTestEvent(h.prisma, t.ctx, id);
    expect(res.ok).toBe(false);
    expect(res.message).toMatch(/does not connect to 127\.0\.0\.1.*ALLOWED_PRIVATE_HOSTS\. It will be retried/);
    expect(local.got).toHaveLength(0);
  });

  it("sends a test event on demand, and disables a webhook that fails for the whole schedule, telling the admins", async () => {
    const t = await team();
    const admin = await makeUser(h.prisma, "Admin");
    const member = await makeUser(h.prisma, "Member");
    await addMember(h.prisma, t.teamId, admin.user.id, "ADMIN");
    await addMember(h.prisma, t.teamId, member.user.id, "MEMBER");
    let up = true;
    const r = await receiver(() => (up ? { status: 200, body: "{}" } : { status: 503, body: "down" }));
    closers.push(r.close);
    const { id, secret } = await addWebhook(h.prisma, t.ctx, { name: "dying", url: `${r.url}/hook`, format: "standard", events: ["batch.completed"] });
    const test = await sendTestEvent(h.prisma, t.ctx, id);
    expect(test).toEqual({ ok: true, message: "Delivered: the receiver answered with success." });
    const verified = new StandardWebhook(secret!).verify(r.got[0].body, r.got[0].headers as Record<string, string>) as { type: string };
    expect(verified.type).toBe("webhook.test");

    up = false;
    await notify(t.teamId, ended("b5"), { prisma: h.prisma });
    await notify(t.teamId, ended("b6"), { prisma: h.prisma });
    const worker = startDeliveryWorker({ prisma: h.prisma, manual: true, schedule: [30, 30] });
    for (let i = 0; i < 40; i++) {
      await drain(worker);
      const w = await h.prisma.webhook.findUniqueOrThrow({ where: { id } });
      if (!w.enabled) break;
      await new Promise((ok) => setTimeout(ok, 40));
    }
    // A delivery in flight when it was disabled is not retried: given up at its next turn at the latest.
    await new Promise((ok) => setTimeout(ok, 40));
    await drain(worker);
    const w = await h.prisma.webhook.findUniqueOrThrow({ where: { id } });
    expect(w.enabled).toBe(false);
    expect(w.disabledReason).toMatch(/Disabled after failing every delivery since .*HTTP 503: down/);
    const deliveries = await h.prisma.delivery.findMany({ where: { webhookId: id, event: { type: "batch.completed" } } });
    expect(deliveries.map((d) => d.status)).toEqual(["failed", "failed"]);
    // The notice: in the app for the owner and the admin, not the member.
    const notices = await h.prisma.notification.findMany({ where: { teamId: t.teamId, event: { type: "webhook.disabled" } } });
    expect(notices.map((n) => n.userId).sort()).toEqual([t.owner.user.id, admin.user.id].sort());
    // Disabled: a new event makes no delivery for it; enabled again, it does.
    await notify(t.teamId, ended("b7"), { prisma: h.prisma });
    expect(await h.prisma.delivery.count({ where: { webhookId: id, event: { key: "batch:b7" } } })).toBe(0);
    await setWebhookEnabled(h.prisma, t.ctx, id, true);
    await notify(t.teamId, ended("b8"), { prisma: h.prisma });
    expect(await h.prisma.delivery.count({ where: { webhookId: id, event: { key: "batch:b8" } } })).toBe(1);
  });
});

/** A webhook row to 127.0.0.1, stored as if an operator had allowed it when it was added. */
async function addWebhookAllowing(ctx: Awaited<ReturnType<typeof team>>["ctx"], url: string) {
  process.env.ALLOWED_PRIVATE_HOSTS = "127.0.0.2,127.0.0.1";
  resetEnvForTests();
  try {
    return await addWebhook(h.prisma, ctx, { name: "was allowed", url, format: "slack", events: ["batch.completed"] });
  } finally {
    process.env.ALLOWED_PRIVATE_HOSTS = "127.0.0.2";
    resetEnvForTests();
  }
}
