// A team's audit log for the read tests: 120 rows by two members over November 2026 (launches and
// file deletions, one object named like a formula), one by the admin CLI, and one of another team.
import type { Db } from "@/lib/db/client";
import { makeUser } from "@/lib/teams/fixtures";

export async function seedAuditLog(prisma: Db) {
  const a = await makeUser(prisma, "Ada");
  const b = await makeUser(prisma, "Bob");
  const o = await makeUser(prisma, "Other");
  // Only what this writes: the fixtures' own rows go.
  await prisma.auditEvent.deleteMany({});
  const at = (d: string) => new Date(`${d}T12:00:00Z`);
  const rows = [];
  for (let i = 0; i < 120; i++) {
    const who = i % 3 === 0 ? b.user : a.user;
    rows.push({
      teamId: a.team.id,
      actorId: who.id,
      actorLabel: who.email,
      ip: i % 2 ? "198.51.100.7" : "2001:db8::1",
      action: i % 4 === 0 ? "batch.launched" : "file.deleted",
      targetType: i % 4 === 0 ? "batch" : "file",
      targetId: `obj-${i}`,
      targetLabel: i === 7 ? '=HYPERLINK("http://evil.example")' : `Thing ${i}`,
      createdAt: at(`2026-11-${String(1 + (i % 30)).padStart(2, "0")}`),
    });
  }
  rows.push({ teamId: a.team.id, actorId: null, actorLabel: "admin CLI", ip: null, action: "team.created", targetType: "team", targetId: a.team.id, targetLabel: a.team.name, createdAt: at("2026-12-01") });
  rows.push({ teamId: o.team.id, actorId: o.user.id, actorLabel: o.user.email, ip: "192.0.2.9", action: "batch.launched", targetType: "batch", targetId: "theirs", targetLabel: "Their batch", createdAt: at("2026-11-05") });
  for (const data of rows) await prisma.auditEvent.create({ data });
  return { team: a.team, ada: a.user, bob: b.user };
}
