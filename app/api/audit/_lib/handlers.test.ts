// GET /api/audit/export.csv's handler: admins only, the Audit page's filters, formula-safe cells,
// and the export is itself a row of the log.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DbHandle } from "@/lib/db/client";
import { seedAuditLog } from "@/lib/audit-log/audit.fixtures";
import { createTestDb } from "@/lib/test/db";
import { useTempDataDir } from "@/lib/teams/fixtures";
import { auditCsvResponse } from "./handlers";

let h: DbHandle;
let teamId = "";
let teamName = "";
let ada = { id: "", email: "" };

beforeAll(async () => {
  useTempDataDir();
  h = await createTestDb();
  const s = await seedAuditLog(h.prisma);
  ada = s.ada;
  teamId = s.team.id;
  teamName = s.team.name;
});
afterAll(() => h?.close());

describe("GET /api/audit/export.csv", () => {
  const url = (q = "") => new URL(`http://localhost:3000/api/audit/export.csv${q}`);
  const viewer = (role: "OWNER" | "ADMIN" | "MEMBER" | "VIEWER") => ({ team: { id: teamId, name: teamName, personal: true }, role, user: { id: ada.id } });

  it("answers 401 signed out and 403 below admin, writing nothing", async () => {
    const before = await h.prisma.auditEvent.count();
    expect((await auditCsvResponse(null, h.prisma, url())).status).toBe(401);
    for (const role of ["MEMBER", "VIEWER"] as const) {
      const res = await auditCsvResponse(viewer(role), h.prisma, url());
      expect(res.status).toBe(403);
      expect(await res.json()).toEqual({ error: { message: "Your role in this team cannot do that (it needs admin or above)." } });
    }
    expect((await auditCsvResponse(viewer("ADMIN"), h.prisma, url("?from=yesterday"))).status).toBe(400);
    expect(await h.prisma.auditEvent.count()).toBe(before);
  });

  it("streams the filtered log as formula-safe CSV, and records the export", async () => {
    const res = await auditCsvResponse(viewer("ADMIN"), h.prisma, url("?type=file&q=thing%207"));
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("text/csv; charset=utf-8");
    expect(res.headers.get("content-disposition")).toMatch(/filename="[^"]*-audit\.csv"/);
    const lines = (await res.text()).trimEnd().split("\r\n");
    expect(lines[0]).toBe("time,actor,actor_id,token,ip,action,object_type,object_id,object,details");
    // "Thing 7x" rows (70..79 minus the batches 72, 76) and the formula, neutralised by a leading quote.
    expect(lines.slice(1).map((l) => l.split(",")[7])).toEqual(["obj-79", "obj-78", "obj-77", "obj-75", "obj-74", "obj-73", "obj-71", "obj-70"]);
    const all = await (await auditCsvResponse(viewer("OWNER"), h.prisma, url("?q=hyperlink"))).text();
    expect(all).toContain(`,"'=HYPERLINK(""http://evil.example"")",`);
    const row = await h.prisma.auditEvent.findFirst({ where: { action: "audit.exported" }, orderBy: { id: "asc" } });
    expect(row).toMatchObject({ teamId, actorId: ada.id, actorLabel: ada.email, targetType: "team", targetLabel: teamName, data: { file: "-audit.csv", params: { type: "file", q: "thing 7" } } });
  });
});
