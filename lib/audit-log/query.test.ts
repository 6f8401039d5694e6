// The audit log as read: keyset pages newest first that cover every row once, each filter, and the
// parameters refused with a message naming them.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DbHandle } from "@/lib/db/client";
import { createTestDb } from "@/lib/test/db";
import { useTempDataDir } from "@/lib/teams/fixtures";
import { seedAuditLog } from "./audit.fixtures";
import { parseAuditParams } from "./params";
import { auditFacets, auditPage } from "./query";

let h: DbHandle;
let teamId = "";
let teamName = "";
let ada = { id: "", email: "" };
let bob = { id: "", email: "" };

beforeAll(async () => {
  useTempDataDir();
  h = await createTestDb();
  const s = await seedAuditLog(h.prisma);
  ({ ada, bob } = s);
  teamId = s.team.id;
  teamName = s.team.name;
});
afterAll(() => h?.close());

async function walk(p: Parameters<typeof auditPage>[2], size = 25) {
  const ids: string[] = [];
  let after: string | undefined;
  for (;;) {
    const page = await auditPage(h.prisma, teamId, { ...p, after }, size);
    ids.push(...page.rows.map((r) => r.id));
    if (!page.next) return ids;
    after = page.next;
  }
}

describe("auditPage", () => {
  it("pages newest first with a keyset: every row of the team once, none of another team", async () => {
    const ids = await walk({});
    expect(ids).toHaveLength(121);
    expect(new Set(ids).size).toBe(121);
    expect(ids.map(BigInt)).toEqual([...ids.map(BigInt)].sort((a, b) => (a > b ? -1 : a < b ? 1 : 0)));
    const first = await auditPage(h.prisma, teamId, {}, 25);
    expect(first.rows[0]).toMatchObject({ action: "team.created", actor: "admin CLI", actorId: null, ip: null, target: teamName });
  });

  it("filters by action, member, object type, days (both included, UTC) and text", async () => {
    expect(await walk({ action: "batch.launched" })).toHaveLength(30);
    expect(await walk({ actor: bob.id })).toHaveLength(40);
    expect(await walk({ type: "team" })).toHaveLength(1);
    // Nov 1 and Nov 2: i % 30 in {0, 1}: i = 0, 1, 30, 31, 60, 61, 90, 91.
    expect(await walk({ from: "2026-11-01", to: "2026-11-02" })).toHaveLength(8);
    expect(await walk({ q: "thing 11" })).toHaveLength(11); // Thing 11, 110..119
    expect(await walk({ q: "2001:DB8" })).toHaveLength(60);
    expect(await walk({ q: "admin cli" })).toHaveLength(1);
    expect(await walk({ action: "batch.launched", actor: bob.id, q: "thing" })).toHaveLength(10); // i % 12 === 0
  });

  it("offers the actions, object types and members the log holds", async () => {
    const f = await auditFacets(h.prisma, teamId);
    expect(f.actions).toEqual(["batch.launched", "file.deleted", "team.created"]);
    expect(f.types).toEqual(["batch", "file", "team"]);
    expect(f.actors.map((a) => a.id).sort()).toEqual([ada.id, bob.id].sort());
  });
});

describe("parseAuditParams", () => {
  it("refuses what it cannot use, naming the parameter", () => {
    expect(() => parseAuditParams({ from: "2026-13-01" })).toThrow(/"from" must be a day written YYYY-MM-DD/);
    expect(() => parseAuditParams({ from: "2026-02-30" })).toThrow(/"from"/);
    expect(() => parseAuditParams({ from: "2026-12-02", to: "2026-12-01" })).toThrow(/comes before "from"/);
    expect(() => parseAuditParams({ after: "abc" })).toThrow(/"after" is not a position/);
    expect(() => parseAuditParams({ q: "a\u0000b" })).toThrow(/NUL/);
    expect(parseAuditParams({ q: "  x ", action: "" })).toEqual({ q: "x", action: undefined, actor: undefined, type: undefined, from: undefined, to: undefined });
  });
});

