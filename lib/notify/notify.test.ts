// notify(): one event per team and key however many callers race, fanned out by each member's
// choices and role; the inbox and the preferences of one member in one team.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DbHandle } from "@/lib/db/client";
import { resetEnvForTests } from "@/lib/env";
import { createTestDb } from "@/lib/test/db";
import { addMember, ctxOf, makeUser, useTempDataDir } from "@/lib/teams/fixtures";
import { budgetThresholdEvent, jobDoneEvent } from "./events";
import { markAllRead, markRead, readInbox } from "./inbox";
import { notify } from "./notify";
import { readPreferences, savePreferences } from "./preferences";

let h: DbHandle;
beforeAll(async () => {
  useTempDataDir();
  delete process.env.SMTP_HOST;
  resetEnvForTests();
  h = await createTestDb();
});
afterAll(() => h?.close());

const budget = (percent: 80 | 100) => budgetThresholdEvent({ budgetId: "team", scope: "Team budget", month: "2026-12", percent, spent: percent * 10, limit: 1000, currency: "USD" });

describe("notify", () => {
  it("records one event when many callers race with the same key, and one inbox row per member", async () => {
    const owner = await makeUser(h.prisma, "Owner");
    const viewer = await makeUser(h.prisma, "Viewer");
    await addMember(h.prisma, owner.team.id, viewer.user.id, "VIEWER");
    const results = await Promise.all(Array.from({ length: 6 }, () => notify(owner.team.id, budget(80), { prisma: h.prisma })));
    expect(results.filter((r) => r.recorded)).toHaveLength(1);
    expect(new Set(results.map((r) => r.eventId)).size).toBe(1);
    const events = await h.prisma.notificationEvent.findMany({ where: { teamId: owner.team.id } });
    expect(events).toMatchObject([{ type: "budget.threshold", key: "budget:team:2026-12:80", title: "Team budget: 80% of the monthly budget reached", body: "USD 800.00 of USD 1000.00 spent in 2026-12." }]);
    expect((await h.prisma.notification.findMany({ where: { teamId: owner.team.id } })).map((n) => n.userId).sort()).toEqual([owner.user.id, viewer.user.id].sort());
    // The next threshold is another occurrence.
    expect((await notify(owner.team.id, budget(100), { prisma: h.prisma })).recorded).toBe(true);
    // No SMTP settings: no email is queued.
    expect(await h.prisma.delivery.count({ where: { teamId: owner.team.id } })).toBe(0);
  });

  it("follows each member's choices, and shows a member only their own inbox in this team", async () => {
    const owner = await makeUser(h.prisma, "Owner");
    const member = await makeUser(h.prisma, "Member");
    const teamId = owner.team.id;
    await addMember(h.prisma, teamId, member.user.id, "MEMBER");
    const memberCtx = await ctxOf(h.prisma, member.user.id, teamId);
    const prefs = await readPreferences(h.prisma, memberCtx);
    // A member is not offered the admins' notices.
    expect(prefs.rows.map((r) => r.type)).not.toContain("connection.key_refused");
    expect(prefs.rows.find((r) => r.type === "job.done")).toMatchObject({ inApp: true, email: true });
    // As the form sends it: a box left unticked is absent, and off.
    await savePreferences(h.prisma, memberCtx, { "inApp:budget.threshold": true, "inApp:batch.completed": true });
    expect((await readPreferences(h.prisma, memberCtx)).rows.find((r) => r.type === "job.done")).toMatchObject({ inApp: false, email: false });

    await notify(teamId, jobDoneEvent({ id: "j1", name: "Split eval", parts: 3, byStatus: { COMPLETED: 2, FAILED: 1 } }), { prisma: h.prisma });
    await notify(teamId, budget(80), { prisma: h.prisma });
    const mine = await readInbox(h.prisma, member.user.id, teamId);
    expect(mine.items.map((i) => i.type)).toEqual(["budget.threshold"]);
    const owners = await readInbox(h.prisma, owner.user.id, teamId);
    expect(owners.unread).toBe(2);
    expect(owners.items[1]).toMatchObject({ title: 'Job "Split eval" is done', body: "All 3 parts have ended: 2 completed, 1 failed.", link: "/jobs/j1", read: false });

    // Another member's row is "not found"; so is one in another team.
    await expect(markRead(h.prisma, member.user.id, teamId, owners.items[0].id)).rejects.toThrow(/not found/);
    await expect(markRead(h.prisma, owner.user.id, member.team.id, owners.items[0].id)).rejects.toThrow(/not found/);
    await markRead(h.prisma, owner.user.id, teamId, owners.items[0].id);
    expect((await readInbox(h.prisma, owner.user.id, teamId)).unread).toBe(1);
    expect(await markAllRead(h.prisma, owner.user.id, teamId)).toBe(1);
    expect((await readInbox(h.prisma, owner.user.id, teamId)).unread).toBe(0);
    expect((await readInbox(h.prisma, member.user.id, teamId)).unread).toBe(1);
  });
});
