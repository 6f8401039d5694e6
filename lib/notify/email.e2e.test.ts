// Email end to end: a real SMTP server (the smtp-server package) started here, with a login, takes
// what the delivery worker sends through nodemailer; the test reads the message as received.
import type { AddressInfo } from "node:net";
import { SMTPServer } from "smtp-server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DbHandle } from "@/lib/db/client";
import { resetEnvForTests } from "@/lib/env";
import { createTestDb } from "@/lib/test/db";
import { addMember, makeUser, useTempDataDir } from "@/lib/teams/fixtures";
import { startDeliveryWorker } from "./delivery";
import { batchEndedEvent, budgetThresholdEvent, keyRefusedEvent } from "./events";
import { notify } from "./notify";

interface Mail {
  from: string;
  to: string[];
  user?: string;
  raw: string;
}

let h: DbHandle;
let smtp: SMTPServer;
const mails: Mail[] = [];
let reject = 0;

beforeAll(async () => {
  smtp = new SMTPServer({
    authOptional: false,
    allowInsecureAuth: true,
    disabledCommands: ["STARTTLS"],
    onAuth(auth, _session, cb) {
      if (auth.username === "bb-mailer" && auth.password === "smtp-pass-1") return cb(null, { user: auth.username });
      cb(new Error("Invalid username or password"));
    },
    onRcptTo(address, _session, cb) {
      if (reject > 0) {
        reject--;
        return cb(Object.assign(new Error("Mailbox busy, try later"), { responseCode: 450 }));
      }
      cb();
    },
    onData(stream, session, cb) {
      let raw = "";
      stream.on("data", (c: Buffer) => (raw += c.toString("utf8")));
      stream.on("end", () => {
        mails.push({ from: session.envelope.mailFrom ? session.envelope.mailFrom.address : "", to: session.envelope.rcptTo.map((r) => r.address), user: session.user as string | undefined, raw });
        cb();
      });
    },
  });
  await new Promise<void>((ok) => smtp.listen(0, "127.0.0.1", ok));
  const port = (smtp.server.address() as AddressInfo).port;
  useTempDataDir();
  Object.assign(process.env, { SMTP_HOST: "127.0.0.1", SMTP_PORT: String(port), SMTP_USER: "bb-mailer", SMTP_PASS: "smtp-pass-1", SMTP_FROM: "Batchboard <batchboard@example.com>", SMTP_TLS: "none", PUBLIC_URL: "https://bb.example.com" });
  resetEnvForTests();
  h = await createTestDb();
});
afterAll(async () => {
  for (const k of ["SMTP_HOST", "SMTP_PORT", "SMTP_USER", "SMTP_PASS", "SMTP_FROM", "SMTP_TLS", "PUBLIC_URL"]) delete process.env[k];
  resetEnvForTests();
  await new Promise<void>((ok) => smtp.close(() => ok()));
  await h?.close();
});

/** A header as read: unfolded, RFC 2047 encoded words (=?UTF-8?Q?...?=, =?UTF-8?B?...?=) decoded. */
function header(raw: string, name: string) {
  const v = raw.match(new RegExp(`^${name}: (.*(?:\\r\\n[ \\t].*)*)`, "mi"))?.[1].replace(/\r\n[ \t]/g, " ");
  return v
    ?.replace(/(\?=)\s+(=\?)/g, "$1$2")
    .replace(/=\?UTF-8\?([QB])\?([^?]*)\?=/gi, (_, enc: string, text: string) =>
      enc.toUpperCase() === "B" ? Buffer.from(text, "base64").toString("utf8") : Buffer.from(text.replace(/_/g, " ").replace(/=([0-9A-F]{2})/gi, (_m, x: string) => String.fromCharCode(parseInt(x, 16))), "latin1").toString("utf8"),
    );
}
/** The text/plain part, quoted-printable decoded. */
function textPart(raw: string) {
  const part = raw.split(/Content-Type: text\/plain[^\r\n]*\r\n/i)[1] ?? "";
  const body = part.split(/\r\n\r\n/).slice(1).join("\r\n\r\n").split(/\r\n--/)[0];
  return body.replace(/=\r\n/g, "").replace(/=([0-9A-F]{2})/g, (_, x) => String.fromCharCode(parseInt(x, 16)));
}

/** The text/plain part as UTF-8 text, whichever transfer encoding nodemailer chose for it (quoted-printable or base64). */
function utf8TextPart(raw: string) {
  const part = raw.split(/Content-Type: text\/plain[^\r\n]*\r\n/i)[1] ?? "";
  const [head, ...rest] = part.split(/\r\n\r\n/);
  const body = rest.join("\r\n\r\n").split(/\r\n--/)[0];
  if (/Content-Transfer-Encoding: base64/i.test(head)) return Buffer.from(body.replace(/\s+/g, ""), "base64").toString("utf8");
  const bytes = Buffer.from(body.replace(/=\r\n/g, "").replace(/=([0-9A-F]{2})/g, (_, x: string) => String.fromCharCode(parseInt(x, 16))), "latin1");
  return bytes.toString("utf8");
}

describe("email notifications over SMTP", () => {
  it("sends each member who takes a type one email, signed in to the SMTP server, with the link and where to change it", async () => {
    const owner = await makeUser(h.prisma, "Owner");
    const member = await makeUser(h.prisma, "Member");
    const quiet = await makeUser(h.prisma, "Quiet");
    const teamId = owner.team.id;
    await addMember(h.prisma, teamId, member.user.id, "MEMBER");
    await addMember(h.prisma, teamId, quiet.user.id, "MEMBER");
    await h.prisma.notificationPreference.create({ data: { userId: quiet.user.id, teamId, type: "batch.failed", inApp: true, email: false } });

    const event = batchEndedEvent({ id: "b-mail", name: "Nightly eval", status: "FAILED", total: 50, completed: 0, failed: 50, connectionName: "OpenAI prod", reason: "The input file is invalid." });
    await notify(teamId, event, { prisma: h.prisma });
    await notify(teamId, event, { prisma: h.prisma });
    await startDeliveryWorker({ prisma: h.prisma, manual: true }).runOnce();

    expect(mails.map((m) => m.to[0]).sort()).toEqual([owner.user.email, member.user.email].sort());
    for (const m of mails) {
      expect(m.user).toBe("bb-mailer");
      expect(m.from).toBe("batchboard@example.com");
      expect(header(m.raw, "Subject")).toBe('Batch "Nightly eval" failed');
      expect(header(m.raw, "From")).toBe("Batchboard <batchboard@example.com>");
      expect(header(m.raw, "Message-ID")).toMatch(/^<\w+@example\.com>$/);
      const text = textPart(m.raw);
      expect(text).toContain("0 of 50 requests succeeded, 50 failed (OpenAI prod). The input file is invalid.");
      expect(text).toContain("https://bb.example.com/batches/b-mail");
      expect(text).toContain('You get this email for "Batch failed" in Batchboard. Choose what you receive: https://bb.example.com/account/notifications');
    }
    // The quiet member still has it in the app.
    expect(await h.prisma.notification.count({ where: { teamId, userId: quiet.user.id } })).toBe(1);
    const logs = await h.prisma.deliveryAttempt.findMany({ where: { delivery: { teamId } } });
    expect(logs.map((l) => l.ok)).toEqual([true, true]);
  });

  it("retries an email the server refuses for now, and sends admins' notices to admins only", async () => {
    mails.length = 0;
    const owner = await makeUser(h.prisma, "Owner2");
    const member = await makeUser(h.prisma, "Member2");
    await addMember(h.prisma, owner.team.id, member.user.id, "MEMBER");
    reject = 1;
    await notify(owner.team.id, keyRefusedEvent({ id: "c1", name: "Prod key", keyVersion: 1, said: "The provider said: Incorrect API key provided." }), { prisma: h.prisma });
    const worker = startDeliveryWorker({ prisma: h.prisma, manual: true, schedule: [100] });
    await worker.runOnce();
    const d = await h.prisma.delivery.findFirstOrThrow({ where: { teamId: owner.team.id } });
    expect(d).toMatchObject({ status: "pending", attempts: 1, lastError: "the SMTP server answered 450" });
    expect(mails).toHaveLength(0);
    await new Promise((ok) => setTimeout(ok, 150));
    await worker.runOnce();
    expect(mails.map((m) => m.to)).toEqual([[owner.user.email]]);
    expect(header(mails[0].raw, "Subject")).toBe('The provider refused the key of "Prod key"');
  });

  it("writes to each member in their own language (User.locale): Chinese for one, English for another", async () => {
    mails.length = 0;
    const owner = await makeUser(h.prisma, "Owner3");
    const zhMember = await makeUser(h.prisma, "Member3");
    await addMember(h.prisma, owner.team.id, zhMember.user.id, "MEMBER");
    await h.prisma.user.update({ where: { id: zhMember.user.id }, data: { locale: "zh-CN" } });
    const teamId = owner.team.id;
    await notify(teamId, batchEndedEvent({ id: "b-zh", name: "夜间评测", status: "FAILED", total: 50, completed: 10, failed: 40, connectionName: "OpenAI prod", reason: "Batch not found." }), { prisma: h.prisma });
    await notify(teamId, budgetThresholdEvent({ budgetId: `team:${teamId}`, scope: "The team", month: "2026-12", percent: 80, spent: 80, limit: 100, currency: "USD" }), { prisma: h.prisma });
    await startDeliveryWorker({ prisma: h.prisma, manual: true }).runOnce();
    const to = (email: string, subject: RegExp) => mails.find((m) => m.to[0] === email && subject.test(header(m.raw, "Subject") ?? ""));

    const zhBatch = to(zhMember.user.email, /夜间评测/)!;
    expect(header(zhBatch.raw, "Subject")).toBe("批次“夜间评测”失败");
    const zhText = utf8TextPart(zhBatch.raw);
    // The reason, stored in English, in the server catalogue's Chinese.
    expect(zhText).toContain("50 个请求中 10 个成功，40 个失败（OpenAI prod）。未找到该批次。");
    expect(zhText).toContain("https://bb.example.com/batches/b-zh");
    expect(zhText).toContain("你收到这封邮件，是因为你在 Batchboard 中接收“批处理失败”通知。选择接收哪些通知：https://bb.example.com/account/notifications");
    expect(zhText).not.toMatch(/succeeded|You get this email/);
    const zhBudget = to(zhMember.user.email, /预算/)!;
    expect(header(zhBudget.raw, "Subject")).toBe("团队：已达到本月预算的 80%");
    expect(utf8TextPart(zhBudget.raw)).toContain("2026-12 已花费 US$80.00，预算为 US$100.00。");

    // The owner, who chose no language, reads the event's English.
    const enBatch = to(owner.user.email, /Batch/)!;
    expect(header(enBatch.raw, "Subject")).toBe('Batch "夜间评测" failed');
    expect(utf8TextPart(enBatch.raw)).toContain("10 of 50 requests succeeded, 40 failed (OpenAI prod). Batch not found.");
    expect(utf8TextPart(enBatch.raw)).toContain('You get this email for "Batch failed" in Batchboard.');
  });
});
